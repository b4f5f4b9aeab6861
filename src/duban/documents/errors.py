"""Errors a reader raises: `user_message` is one Chinese line for the user; str() is precise for logs."""

from __future__ import annotations


class DocumentError(Exception):
    """A document could not be read. Carries a Chinese message for users."""

    def __init__(self, user_message: str, detail: str = "") -> None:
        super().__init__(detail or user_message)
        self.user_message = user_message


class UnsupportedFormat(DocumentError):
    pass


class EmptyDocument(DocumentError):
    pass


class BinaryContent(DocumentError):
    pass


class Undecodable(DocumentError):
    pass


class ScannedPdf(DocumentError):
    pass


class ConverterMissing(DocumentError):
    pass


class UnsafeArchive(DocumentError):
    """A zip-based document that is damaged, encrypted, uses an unsupported compression or inflates too far."""
