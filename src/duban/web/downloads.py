"""A file download as the browser gets it: name (ASCII fallback + UTF-8), type, no caching.

Shared by the JSON API and the pages, so a file fetched either way has the same headers.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi.responses import Response

from duban.exports.files import Download


def content_disposition(filename: str, fallback: str | None = None) -> str:
    """attachment with an ASCII fallback name and the UTF-8 name (RFC 6266 / RFC 5987); the fallback
    is "duban-export.<ext>" unless given. Every download of the app names its file through here."""
    if fallback is None:
        ext = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
        fallback = "duban-export." + "".join(ch for ch in ext if ch.isalnum())
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download_response(d: Download) -> Response:
    return Response(
        d.content,
        media_type=d.media_type,
        headers={
            "Content-Disposition": content_disposition(d.filename),
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
