"""Plain text files (.txt and anything that decodes as text and is not HTML)."""

from __future__ import annotations

from duban.documents.cleaning import clean_text
from duban.documents.encoding import Decoded
from duban.documents.errors import EmptyDocument
from duban.documents.source import SourceText
from duban.documents.webcruft import strip_web_cruft
from duban.documents.wrapping import unwrap_plain_text


def read_text(decoded: Decoded, name: str) -> SourceText:
    """Clean decoded text and drop web cruft around the body (many .txt files are saved web pages)."""
    text = clean_text(unwrap_plain_text(decoded.text))
    text, _dropped = strip_web_cruft(text)
    if not text.strip():
        raise EmptyDocument(f"文件中没有文字内容：{name}", f"{name}: only whitespace after cleaning")
    return SourceText(
        name=name, text=text, format="txt", encoding=decoded.encoding, warnings=list(decoded.warnings)
    )
