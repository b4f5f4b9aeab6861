"""The README cannot drift from the code: its commands run, its config example loads, its tables are complete.

Every line of a ```bash block runs in order from the repository root on a fresh data directory
(`make` lines as `make -n`); every inline `duban ...` command is checked with --help (unknown
commands and options fail) and every inline `make ...` with `make -n`.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import duban
from duban.ledger import config as cfg_module

ROOT = Path(__file__).resolve().parents[1]
TEXT = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```(\w+)\n(.*?)^```", TEXT, re.S | re.M)
SRC = Path(duban.__file__).parent


def lines(block: str) -> list[str]:
    return [ln.strip() for ln in block.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def env(tmp_path: Path) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if not k.startswith("DUBAN_") and k != "COLUMNS"}
    e |= {"DUBAN_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(SRC.parent)}
    return e


def run(command: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    if command.startswith("make"):
        command = "make -n" + command.removeprefix("make")
    return subprocess.run(
        ["bash", "-c", command], cwd=ROOT, env=env(tmp_path), capture_output=True, text=True, timeout=600
    )


def test_readme_starts_with_the_two_commands_of_a_fresh_machine() -> None:
    assert TEXT.startswith("# duban")
    lang, block = BLOCKS[0]
    assert lang == "bash"
    assert [shlex.split(ln, comments=True) for ln in lines(block)] == [["make", "run"], ["make", "test"]]


def test_every_command_of_the_bash_blocks_runs(tmp_path: Path) -> None:
    commands = [ln for lang, block in BLOCKS if lang == "bash" for ln in lines(block)]
    assert len(commands) >= 10
    for command in commands:
        r = run(command, tmp_path)
        assert r.returncode == 0, (command, r.stdout[-2000:], r.stderr[-2000:])
        assert "Traceback" not in r.stderr, (command, r.stderr[-2000:])


def inline(prefix: str) -> list[str]:
    return sorted(set(re.findall(rf"`((?:\.venv/bin/)?{prefix} [^`]+|{prefix} ?[a-z-]*)`", TEXT)))


def test_inline_duban_commands_and_options_exist(tmp_path: Path) -> None:
    spans = inline("duban")
    assert "duban demo" in spans and "duban assign" in spans
    for span in spans:
        words = []
        for w in shlex.split(span.replace("…", ""))[1:]:
            if not w.isascii() or w.startswith("["):
                break  # a placeholder (文件, [--format ...]): what comes before is checked
            words.append(w)
        r = run(f"{sys.executable} -m duban {shlex.join(words)} --help", tmp_path)
        assert r.returncode == 0 and "Usage" in r.stdout, (span, r.stdout[-500:], r.stderr[-1000:])


def test_inline_make_commands_exist_and_take_their_variables(tmp_path: Path) -> None:
    spans = inline("make")
    assert "make demo" in spans and "make run HOST=0.0.0.0 PORT=8080" in spans
    for span in spans:
        r = run(span, tmp_path)
        assert r.returncode == 0, (span, r.stderr)
        for arg in span.split()[1:]:
            if "=" in arg:
                assert arg.split("=", 1)[1] in r.stdout, (span, r.stdout)  # the variable reaches a command


def test_the_config_example_is_complete_and_loads(tmp_path: Path) -> None:
    (example,) = [block for lang, block in BLOCKS if lang == "toml"]
    path = tmp_path / "duban.toml"
    path.write_text(example, encoding="utf-8")
    loaded = cfg_module.load_config(path)  # an unknown key or section value fails here
    assert loaded.smtp.host and loaded.reminders.days_before == (7, 3)
    sections = re.findall(r"^\[(\w+)\]", example, re.M)
    assert sections == [f.name for f in dataclasses.fields(cfg_module.Config)]
    for section in dataclasses.fields(cfg_module.Config):
        documented = set(re.findall(r"^(\w+) =", example.split(f"[{section.name}]")[1].split("\n[")[0], re.M))
        assert documented == {f.name for f in dataclasses.fields(section.default_factory())}, section.name


def test_every_environment_variable_of_the_code_is_in_the_table() -> None:
    used = set()
    for path in SRC.rglob("*.py"):
        used |= set(re.findall(r"DUBAN_[A-Z_]+[A-Z]", path.read_text(encoding="utf-8")))
    table = set(re.findall(r"^\| `(DUBAN_[A-Z_]+)` \|", TEXT, re.M))
    assert used and used == table, (used - table, table - used)
