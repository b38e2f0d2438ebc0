"""Reporting periods: a day, an ISO week, a month, a year or a custom range of local days,
with the period before it (for the change against the previous period) and the buckets
its series are drawn in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

KINDS = ("day", "week", "month", "year", "custom")


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """Local days ``start`` ≤ day < ``end``."""

    kind: str
    start: date
    end: date

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def previous(self) -> Period:
        if self.kind == "month":
            return Period("month", add_months(self.start, -1), self.start)
        if self.kind == "year":
            return Period("year", self.start.replace(year=self.start.year - 1), self.start)
        return Period(self.kind, self.start - timedelta(days=self.days), self.start)

    def bucket_kind(self) -> str:
        """How a series over the period is cut: months for a year or a long range, days
        otherwise."""
        return "month" if self.kind == "year" or self.days > 92 else "day"

    def buckets(self) -> list[date]:
        """The series' buckets, up to today (the rest of a running period is not drawn)."""
        end = min(self.end, timezone.localdate() + timedelta(days=1))
        if self.bucket_kind() == "month":
            out, day = [], month_start(self.start)
            while day < end:
                out.append(day)
                day = add_months(day, 1)
            return out
        return [self.start + timedelta(days=i) for i in range(max((end - self.start).days, 1))]

    def label(self) -> str:
        if self.kind == "day":
            return self.start.strftime("%Y-%m-%d")
        if self.kind == "week":
            year, week, _weekday = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == "month":
            return self.start.strftime("%Y-%m")
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start:%Y-%m-%d}~{self.last_day:%Y-%m-%d}"


def period_containing(kind: str, day: date | None = None) -> Period:
    day = day or timezone.localdate()
    if kind == "day":
        return Period("day", day, day + timedelta(days=1))
    if kind == "week":
        start = day - timedelta(days=day.weekday())
        return Period("week", start, start + timedelta(days=7))
    if kind == "month":
        return Period("month", month_start(day), add_months(day, 1))
    if kind == "year":
        return Period("year", date(day.year, 1, 1), date(day.year + 1, 1, 1))
    raise ValidationError(_("Unknown period: %(kind)s") % {"kind": kind}, code="invalid")


def make_period(kind: str = "month", day: date | None = None, first: date | None = None,
                last: date | None = None) -> Period:
    """The period asked for: ``first``..``last`` (inclusive) when given, else the ``kind``
    period containing ``day`` (today by default)."""
    if first or last:
        if not (first and last):
            raise ValidationError(_("Give both the first and the last day."), code="required")
        if last < first:
            raise ValidationError(_("The last day is before the first."), code="invalid")
        if (last - first).days > 3 * 366:
            raise ValidationError(_("A range may span at most three years."), code="invalid")
        return Period("custom", first, last + timedelta(days=1))
    return period_containing(kind or "month", day)
