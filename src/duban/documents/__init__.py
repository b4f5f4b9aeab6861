"""Read a document file into clean text. Knows nothing about plans."""

from duban.documents.errors import (
    BinaryContent,
    ConverterMissing,
    DocumentError,
    EmptyDocument,
    ScannedPdf,
    Undecodable,
    UnsupportedFormat,
)
from duban.documents.reader import read_bytes, read_document
from duban.documents.source import SourceText

__all__ = [
    "BinaryContent",
    "ConverterMissing",
    "DocumentError",
    "EmptyDocument",
    "ScannedPdf",
    "SourceText",
    "Undecodable",
    "UnsupportedFormat",
    "read_bytes",
    "read_document",
]
