"""What a reader returns: the cleaned text of one file."""

from __future__ import annotations

from dataclasses import dataclass, field

# A spreadsheet read as text: each sheet of a workbook with several starts with a line
# "工作表：<name>" (the plan parser decides whether the name is a title, a heading or nothing),
# and a line break inside a cell is CELL_BREAK, so that every table row stays one line.
SHEET_MARK = "工作表："
CELL_BREAK = "\u2028"


@dataclass
class SheetTable:
    """One visible sheet as read: cell texts row by row, merged-down values repeated."""

    name: str
    rows: list[list[str]]

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "rows": self.rows}


@dataclass
class SourceText:
    name: str  # file name only, as Plan JSON's "source"
    text: str  # cleaned text, lines separated by "\n"; Word/HTML tables as "cell | cell | cell" rows
    format: str  # txt | html | docx | pdf | doc | xlsx | xls | ods | ofd
    encoding: str | None = None  # for text formats: the encoding detected
    warnings: list[str] = field(default_factory=list)  # Chinese, for the user
    sheets: list[SheetTable] = field(default_factory=list)  # spreadsheets: the sheets as tables
