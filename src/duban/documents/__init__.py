"""Read a document file into clean text. Knows nothing about plans."""

from duban.documents.errors import DocumentError
from duban.documents.source import SourceText

__all__ = ["DocumentError", "SourceText"]
