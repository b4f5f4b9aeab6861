"""Small helpers every export shares: finding the plan, dates and file names in Chinese."""

from __future__ import annotations

import re
from datetime import date

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP_TYPE = "application/zip"
JSON_TYPE = "application/json"


def cn_date(d: date) -> str:
    """2024-08-31 -> 2024年8月31日 (no leading zeros, as official documents write dates)."""
    return f"{d.year}年{d.month}月{d.day}日"


_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def safe_name(text: str, *, limit: int = 60) -> str:
    """A file-name part that Windows and Linux both accept."""
    cleaned = _UNSAFE.sub("", text).strip(".") or "导出"
    return cleaned[:limit]
