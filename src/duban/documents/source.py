"""What a reader returns: the cleaned text of one file."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SourceText:
    name: str  # file name only, as Plan JSON's "source"
    text: str  # cleaned text, lines separated by "\n"; Word/HTML tables as "cell | cell | cell" rows
    format: str  # txt | html | docx | pdf | doc
    encoding: str | None = None  # for text formats: the encoding detected
    warnings: list[str] = field(default_factory=list)  # Chinese, for the user
