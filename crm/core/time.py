"""UTC in, the user's timezone out."""

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DEFAULT_TIMEZONE = "America/Lima"


def utcnow() -> datetime:
    return datetime.now(UTC)


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def is_valid_timezone(name: str) -> bool:
    return name in available_timezones()


@lru_cache(maxsize=1)
def timezone_names() -> tuple[str, ...]:
    """Region/City names people pick from, without the legacy aliases (EST5EDT, Etc/GMT+5...)."""
    return tuple(sorted(n for n in available_timezones() if "/" in n and not n.startswith(("Etc/", "SystemV/", "posix/", "right/"))))


def to_local(value: datetime, tz_name: str | None) -> datetime:
    return value.astimezone(zone(tz_name))


def local_to_utc(value: datetime, tz_name: str | None) -> datetime:
    """Interpret a naive wall-clock time in the given zone and return it in UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone(tz_name))
    return value.astimezone(UTC)


def local_day_bounds(day: date, tz_name: str | None) -> tuple[datetime, datetime]:
    """The UTC instants where a local calendar day starts and the next one starts."""
    tz = zone(tz_name)
    start = datetime.combine(day, time.min, tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def local_today(tz_name: str | None, now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(zone(tz_name)).date()
