"""The numbered outline of one document, nested by the sequence of label forms it uses.

Nesting rule: a label whose form (family and delimiter) is already open on the stack is a
sibling at that depth; a new form opens a level below the current one. The same family with
another delimiter ("1." then "2、") is a slip when its number continues the open level. A
number whose dot is missing ("27构建") counts only when it is the next number of an open
Arabic level. Unnumbered lines belong to the item above.

Forms of numbers that are items only in context: a row number alone on its line ("57") when it
continues its sequence (or starts one whose "2" follows), a chapter number with a space
("5　策划和准备") when its chapters run in order, and an appendix ("附录A"), always a top heading.
A line that only continues a number or sentence cut at a line or page break ("…分别投入3" +
"1万元、…", "…惠及" + "2.6 万名学生") is glued to the text before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from duban.plan.fields import CO_UNIT_FIELD, UNIT_FIELDS, FieldLine, match_inline_units, split_units
from duban.plan.labels import Label, match_label_at
from duban.plan.lines import Line, make_line
from duban.plan.model import Item
from duban.plan.runin import EMBEDDED, runin_title


@dataclass
class _Level:
    family: str
    delim: str
    last: int
    item: Item


@dataclass
class Outline:
    items: list[Item] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)  # text before the first item


# "第2页 共9页", "- 3 -": a page marker between two parts of the text
_PAGE_MARKER = re.compile(r"^(?:第\s*\d+\s*页\s*(?:[/，,]?\s*共\s*\d+\s*页)?|[-—－]\s*\d{1,3}\s*[-—－])$")
_SENTENCE_END = re.compile(r"[。！？!?；;：:…”」』）)]$")
LONE_LOOKAHEAD = 12  # lines within which a row "1" standing alone must be followed by its "2"


class OutlineBuilder:
    def __init__(self) -> None:
        self.stack: list[_Level] = []
        self.outline = Outline()
        self.field_name: str | None = None  # the field a continuation line belongs to
        self.lost_breaks = False
        self.last_number: dict[tuple[str, str], int] = {}  # form -> last number opened, across parents
        self.open_sentence = False  # the last text line ended mid-sentence (a break may follow)
        self.last_text = ""
        self._more: dict[int, list[str]] = {}  # id(item) -> its body lines after the first, joined at the end

    # -- the nesting rule -------------------------------------------------------------
    def place(self, label: Label, stack: list[_Level] | None = None) -> int | None:
        """Depth (0-based) the label takes on `stack`, or None when it is not an item label there."""
        stack = self.stack if stack is None else stack
        if label.family == "appendix":
            return 0
        if label.family in ("lone", "chapter"):
            return _in_sequence(label, stack, self.last_number)
        if label.family == "nodot":
            for depth in range(len(stack) - 1, -1, -1):
                lv = stack[depth]
                if lv.family == "arabic" and lv.last == label.value - 1:
                    return depth
            return None
        for depth, lv in enumerate(stack):
            if lv.family == label.family and lv.delim == label.delim:
                return depth
        for depth, lv in enumerate(stack):
            if lv.family == label.family and label.value == lv.last + 1:
                return depth
        return len(stack)

    # -- consuming lines --------------------------------------------------------------
    def feed(self, lines: list[Line]) -> Outline:
        i, n = 0, len(lines)
        while i < n:
            line = lines[i]
            i += 1
            if line.blank:
                continue
            for part in self._split_lost_breaks(line):
                depth = self._depth(part, lines, i)
                if part.label and depth is not None:
                    if not part.rest:  # a number alone on its line: the title is on the next line
                        j = i
                        while j < n and lines[j].blank:
                            j += 1
                        if j < n and lines[j].label is None and lines[j].field is None:
                            title = _with_title(part, lines[j])
                            if title is not None:
                                part, i = title, j + 1
                    self._open_item(part, depth)
                elif part.label and part.label.family == "lone" or _PAGE_MARKER.match(part.match):
                    continue  # a page number or a stray cell: no text of its own
                elif part.field:
                    self._add_field(part.field, part.text)
                else:
                    self._add_text(part)
                for f in part.extra_fields:  # a table row's other cells: their figures and dates count
                    self._add_field(f, f"{f.label}：{f.value}")
        for item in self.outline.items:  # one join per item: `body +=` per line is quadratic in a long item
            if more := self._more.get(id(item)):
                item.body = "\n".join([item.body, *more])
        return self.outline

    def _depth(self, line: Line, lines: list[Line], after: int) -> int | None:
        """Where the line's label goes, or None; a row "1" standing alone needs its "2" to follow."""
        if line.label is None:
            return None
        depth = self.place(line.label)
        if depth is None and line.label.family == "lone" and line.label.value == 1:
            for nxt in lines[after : after + LONE_LOOKAHEAD]:
                if nxt.label and nxt.label.family == "lone":
                    return len(self.stack) if nxt.label.value == 2 else None
        return depth

    def _split_lost_breaks(self, line: Line) -> list[Line]:
        """Split a paragraph at labels that continue the outline (a page whose breaks were lost).

        Each label found after a sentence end is judged on a simulated stack: it must be the
        next number of an open level, or the first number of a new level. A new level inside
        running text is trusted only once the document has shown a lost break (or its
        second number follows), unless it continues a numbering that runs across parents.
        """
        if len(line.match) < 120 or not EMBEDDED.search(line.match):
            return [line]
        sim = [_Level(lv.family, lv.delim, lv.last, lv.item) for lv in self.stack]
        if line.label and (d := self.place(line.label, sim)) is not None:
            _advance(sim, line.label, d)
        found = [(m.end(), match_label_at(line.match, m.end())) for m in EMBEDDED.finditer(line.match)]
        found = [(pos, lab) for pos, lab in found if lab is not None and lab.family in _RUNIN_FAMILIES]
        cuts: list[int] = []
        seen = dict(self.last_number)
        if line.label:
            seen[(line.label.family, line.label.delim)] = line.label.value
        for k, (pos, label) in enumerate(found):
            depth = self.place(label, sim)
            if depth is None:
                continue
            if depth < len(sim):
                fits = label.value == sim[depth].last + 1
            else:
                # a new level: trusted when breaks are known lost, or when its "2" follows;
                # or a number continuing its form across parents (5. under (一), 6. under (二))
                first = label.value == 1 and (
                    self.lost_breaks
                    or bool(cuts)
                    or any(
                        x.family == label.family and x.delim == label.delim and x.value == 2
                        for _, x in found[k + 1 :]
                    )
                )
                fits = first or (bool(cuts) and seen.get((label.family, label.delim)) == label.value - 1)
            if fits:
                cuts.append(pos)
                seen[(label.family, label.delim)] = label.value
                _advance(sim, label, depth)
                self.lost_breaks = True
        if not cuts:
            return [line]
        bounds = [0, *cuts, len(line.text)]
        parts = [
            make_line(line.index, line.text[a:b], line.match[a:b])
            for a, b in zip(bounds, bounds[1:], strict=False)
        ]
        return [replace(p, runin=True) if k else p for k, p in enumerate(parts)]

    def _open_item(self, line: Line, depth: int) -> None:
        label = line.label
        assert label is not None
        family = "arabic" if label.family == "nodot" else label.family
        delim = self.stack[depth].delim if label.family == "nodot" else label.delim
        del self.stack[depth:]
        parent = self.stack[-1].item if self.stack else None
        rest_match = line.match[label.end :].strip()
        rest = line.text[len(line.text) - len(rest_match) :] if rest_match else ""
        item = Item(
            path=f"{parent.path}/{label.number}" if parent else label.number,
            level=depth + 1,
            number=label.number,
            title="",
            label=label.text,
            line=line.index + 1,
            body=line.text,
        )
        inline = match_inline_units(rest_match, rest)
        if inline:
            fields, cut = inline
            rest, rest_match = rest[:cut].rstrip(), rest_match[:cut].rstrip()
            for f in fields:
                self._store_field(item, f)
        end = rest_match.find("。")
        title = runin_title((rest[:end] if end >= 0 else rest).strip(), line.runin)
        item.title = title.rstrip("：:；;，,").strip()
        self.stack.append(_Level(family, delim, label.value, item))
        self.last_number[(family, delim)] = label.value
        self.outline.items.append(item)
        self.field_name = None
        self.open_sentence = False

    def _current(self) -> Item | None:
        return self.stack[-1].item if self.stack else None

    def _add_field(self, f: FieldLine, text: str) -> None:
        item = self._current()
        if item is None:
            self.outline.preamble.append(text)
            return
        if text:
            self._more.setdefault(id(item), []).append(text)
        self._store_field(item, f)
        self.field_name = f.name
        self.open_sentence = False

    def _store_field(self, item: Item, f: FieldLine) -> None:
        old = item.fields.get(f.name)
        item.fields[f.name] = f"{old}\n{f.value}" if old and f.value else (old or f.value)
        if f.name in UNIT_FIELDS:
            units = split_units(f.value)
            target = item.co_units if f.name == CO_UNIT_FIELD else None
            for u in units:
                if u not in item.responsible:
                    item.responsible.append(u)
                if target is not None and u not in target:
                    target.append(u)

    def _add_text(self, line: Line) -> None:
        text = line.text
        glue = self.open_sentence and _continues(self.last_text, text)
        self.open_sentence = not _SENTENCE_END.search(text)
        self.last_text = text
        item = self._current()
        if item is None:
            if glue and self.outline.preamble:
                self.outline.preamble[-1] += text
            else:
                self.outline.preamble.append(text)
            return
        more = self._more.setdefault(id(item), [])
        if glue and more:
            more[-1] += text
        elif glue:
            item.body += text
        else:
            more.append(text)
        inline = match_inline_units(line.match, text)
        if inline:  # "（责任科室：…）" closing a later paragraph of the item
            for f in inline[0]:
                self._store_field(item, f)
        if self.field_name:  # a field whose text runs onto the following lines
            self._store_field(item, FieldLine(self.field_name, self.field_name, text))
            if self.field_name in UNIT_FIELDS:
                self.field_name = None


_DATE_START = re.compile(r"^\d{1,4}\s*[年月日号]")
MIN_CUT_LINE = 8  # a shorter line (a signature, a heading) is not a sentence cut at the margin


def _continues(before: str, line: str) -> bool:
    """A line that continues a number or an amount cut at a line or page break, after a line that
    ended mid-sentence: "…分别投入3" + "1万元、…" (one number), "…惠及" + "2.6 万名学生，…"."""
    if not line[:1].isdigit():
        return False
    if before[-1:].isdigit():
        return True
    return len(before) >= MIN_CUT_LINE and not _DATE_START.match(line)


_RUNIN_FAMILIES = frozenset(["cn", "cn_paren", "arabic", "arabic_paren", "circled", "di"])


def _in_sequence(label: Label, stack: list[_Level], last: dict[tuple[str, str], int]) -> int | None:
    """Depth of a number that is an item only in sequence (a lone row number, a chapter number):
    the next number of its open form, or of its form under the previous heading (`last`), or a
    first chapter; None otherwise."""
    for depth in range(len(stack) - 1, -1, -1):
        lv = stack[depth]
        if lv.family == label.family:
            return depth if label.value == lv.last + 1 else None
    if label.family == "chapter" and label.value == 1:
        return len(stack)
    if last.get((label.family, label.delim)) == label.value - 1:
        return len(stack)  # numbered on across headings: "二、义务教育" then "3"
    return None


def _with_title(bare: Line, title: Line) -> Line | None:
    """The bare label joined with its title line, still the same label ("1." + "2024年…" must not
    read as the number "1.2024"): joined directly, else with a space, else None (not joined).
    A lone row number ("57 |") keeps its label and takes the next line as its title."""
    if bare.label is not None and bare.label.family == "lone":
        sep = " "
        joined = Line(bare.index, bare.text + sep + title.text, bare.match + sep + title.match)
        joined.label = replace(bare.label, end=len(bare.match) + 1)
        return joined
    for sep in ("", " "):
        joined = make_line(bare.index, bare.text + sep + title.text, bare.match + sep + title.match)
        if joined.label is not None and bare.label is not None and joined.label.text == bare.label.text:
            return joined
    return None


def _advance(stack: list[_Level], label: Label, depth: int) -> None:
    del stack[depth:]
    stack.append(_Level(label.family, label.delim, label.value, None))  # type: ignore[arg-type]


def build_outline(lines: list[Line]) -> Outline:
    """The items of one document's lines (tables of contents already removed)."""
    return OutlineBuilder().feed(lines)
