"""The bureau's local time. Every timestamp is stored as naive UTC (`db.utcnow`); people read and
type times on the bureau's wall clock, and a day (due today, overdue since yesterday) is a local day.

The zone is `DUBAN_TIMEZONE` (an IANA name), Asia/Shanghai by default: Chinese bureaus run on
Beijing time whatever zone the server is set to.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Asia/Shanghai"


@lru_cache(maxsize=4)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"时区无效：{name}（DUBAN_TIMEZONE 应为 IANA 时区名，如 Asia/Shanghai）") from exc


def local_zone() -> ZoneInfo:
    return _zone(os.environ.get("DUBAN_TIMEZONE", "").strip() or DEFAULT_ZONE)


def to_local(utc: datetime) -> datetime:
    """A stored (naive UTC) or aware timestamp on the local wall clock, naive."""
    aware = utc if utc.tzinfo else utc.replace(tzinfo=UTC)
    return aware.astimezone(local_zone()).replace(tzinfo=None)


def to_utc(local: datetime) -> datetime:
    """A time as a person typed it (naive = local wall clock; aware = as given) in naive UTC."""
    aware = local if local.tzinfo else local.replace(tzinfo=local_zone())
    return aware.astimezone(UTC).replace(tzinfo=None)


def local_date(utc: datetime) -> date:
    """The local day of a stored timestamp: what "today" and "closed on time" mean."""
    return to_local(utc).date()


def local_iso(utc: datetime, timespec: str = "minutes") -> str:
    """ISO 8601 with the local offset, for an API field that people set on the local clock."""
    aware = utc if utc.tzinfo else utc.replace(tzinfo=UTC)
    return aware.astimezone(local_zone()).isoformat(timespec=timespec)
