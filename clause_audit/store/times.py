"""Times in the store are UTC without tzinfo (SQLite keeps none); callers get and give aware datetimes.

A naive datetime given by a caller is taken as local time, as Python's own `astimezone` does.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def to_stored(moment: datetime) -> datetime:
    """An aware or local-naive datetime as stored: UTC, naive."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def from_stored(moment: datetime) -> datetime:
    """A stored datetime as an aware UTC datetime."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
