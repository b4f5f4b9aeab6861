"""The text as a list of lines, each with its simplified copy and its number label."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field

from duban.plan.chinese import simplified_copy
from duban.plan.fields import FieldLine, match_field_line
from duban.plan.labels import Label, match_label


@dataclass
class Line:
    index: int  # 0-based line number in the source text
    text: str  # as written, stripped
    match: str  # simplified copy of `text` (same length), used for all pattern matching
    label: Label | None = None
    field: FieldLine | None = None
    extra_fields: list[FieldLine] = dc_field(default_factory=list)  # from a table row's columns
    runin: bool = False  # cut out of a paragraph whose line breaks were lost

    @property
    def rest(self) -> str:
        """The text after the label."""
        return self.text[self.label.end :].strip() if self.label else self.text

    @property
    def blank(self) -> bool:
        return not self.text


def make_line(index: int, text: str, match: str | None = None) -> Line:
    text = text.strip()
    match = text if match is None else match.strip()
    if len(match) != len(text):
        match = text
    line = Line(index, text, match)
    line.field = match_field_line(match, text)
    if line.field is None:
        line.label = match_label(match)
    return line


def split_lines(text: str) -> list[Line]:
    simple = simplified_copy(text)
    originals = text.split("\n")
    copies = simple.split("\n")
    if len(copies) != len(originals):
        copies = originals
    return [make_line(i, t, m) for i, (t, m) in enumerate(zip(originals, copies, strict=True))]
