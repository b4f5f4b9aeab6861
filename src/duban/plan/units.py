"""The unit directory: a bureau's 科室 with their aliases and the topics they lead.

A default directory for a city bureau ships in data/units.toml; a bureau points to its own
file with DUBAN_UNITS_FILE. Suggestions are proposals for items whose text names no unit
(Item.suggested_units), never mixed with the units a document names (Item.responsible).

    d = load_directory()
    d.canonical("基教科")                       -> "基础教育科"
    d.suggest("学前三年毛入园率达到94.5%以上")  -> [SuggestedUnit("学前教育科", "主题“学前教育”…")]
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from .model import SuggestedUnit

ENV_VAR = "DUBAN_UNITS_FILE"
DEFAULT_FILE = Path(__file__).with_name("data") / "units.toml"

# prefixes that do not change which unit is meant: 市教育局基础教育科 == 基础教育科
_PREFIX = re.compile(r"^(?:\S{0,8}?(?:教育局|教体局|教育和体育局)|市|局|本局)(?=.)")
_BRACKETS = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")
_PUNCT = re.compile(r"[\s（）()【】\[\]“”\"、，,。·]")


@dataclass
class Unit:
    name: str
    aliases: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)


def _trie_pattern(words: list[str]) -> str:
    """One regex matching any of `words`, longest first, shaped as a trie of literal prefixes."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


def _key(name: str) -> str:
    return _PUNCT.sub("", _PREFIX.sub("", name.strip()))


class UnitDirectory:
    """Units with alias resolution (rapidfuzz) and topic-based lead-unit suggestions."""

    def __init__(self, units: list[Unit], *, min_score: float = 85.0) -> None:
        self.units = units
        self.min_score = min_score
        self._by_key: dict[str, str] = {}
        for u in units:
            for n in [u.name, *u.aliases]:
                self._by_key.setdefault(_key(n), u.name)
        self._keys = list(self._by_key)
        topic_units: dict[str, list[int]] = {}
        for i, u in enumerate(units):
            for t in u.topics:
                if t:
                    topic_units.setdefault(t, []).append(i)
        self._topic_units = topic_units
        topics = sorted(topic_units, key=len, reverse=True)
        # a trie-shaped pattern: at each position the engine follows one branch, not hundreds
        self._topic_re = re.compile(_trie_pattern(topics)) if topics else None

    def names(self) -> list[str]:
        return [u.name for u in self.units]

    def canonical(self, name: str) -> str | None:
        """The directory's name for a unit as written ("基教科", "市教育局基础教育科"), or None."""
        if not name or not name.strip():
            return None
        k = _key(name)
        if not k:
            return None
        hit = self._by_key.get(k)
        if hit:
            return hit
        # "体卫艺科（国防教育办）", "规划财务（审计）科": the part in brackets is a second hat
        bare = _key(_BRACKETS.sub("", name))
        if bare and bare != k:
            hit = self._by_key.get(bare)
            if hit:
                return hit
            k = bare
        best = process.extractOne(k, self._keys, scorer=fuzz.ratio, score_cutoff=self.min_score)
        if best is None:
            return None
        return self._by_key[best[0]]

    def suggest(self, text: str, *, limit: int = 3) -> list[SuggestedUnit]:
        """Units whose topics the text is about, lead unit first, each with its reason."""
        if not text or self._topic_re is None:
            return []
        scores: dict[int, float] = {}
        first_topic: dict[int, list[str]] = {}
        head = len(text) if len(text) < 60 else text.find("。") + 1 or 60
        for m in self._topic_re.finditer(text):
            t = m.group(0)
            # a longer topic is more specific; the item's title line weighs double
            w = len(t) * (2.0 if m.start() < head else 1.0)
            for rank, i in enumerate(self._topic_units[t]):
                scores[i] = scores.get(i, 0.0) + w / (1 + rank)
                lst = first_topic.setdefault(i, [])
                if t not in lst:
                    lst.append(t)
        if not scores:
            return []
        order = sorted(scores, key=lambda i: (-scores[i], i))
        top = scores[order[0]]
        out = []
        for i in order[:limit]:
            if scores[i] < top * 0.5:
                break
            u = self.units[i]
            topics = "”“".join(first_topic[i][:2])
            out.append(SuggestedUnit(name=u.name, reason=f"主题“{topics}”属{u.name}"))
        return out


def _load(path: Path) -> UnitDirectory:
    with path.open("rb") as f:
        data = tomllib.load(f)
    units = []
    for raw in data.get("unit", []):
        name = str(raw.get("name", "")).strip()
        if not name:
            continue
        units.append(
            Unit(
                name=name,
                aliases=[str(a).strip() for a in raw.get("aliases", []) if str(a).strip()],
                topics=[str(t).strip() for t in raw.get("topics", []) if str(t).strip()],
            )
        )
    return UnitDirectory(units)


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime: float) -> UnitDirectory:
    return _load(Path(path))


def load_directory(path: str | Path | None = None) -> UnitDirectory:
    """The unit directory from `path`, else $DUBAN_UNITS_FILE, else the shipped default."""
    p = Path(path) if path else Path(os.environ.get(ENV_VAR) or DEFAULT_FILE)
    return _load_cached(str(p.resolve()), p.stat().st_mtime)
