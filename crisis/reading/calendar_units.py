"""Calendar arithmetic shared by the time axis, the density strip and the headings:
the days a dating covers, the calendar units (day, week, month, quarter, year) and
their labels. No queries.
"""

import calendar
import datetime

from crisis.models import DatePrecision

DAY = datetime.timedelta(days=1)


def day_label(date):
    return f"{date.day} {date:%B %Y}"


def dating_period(date, precision, end_date):
    """First and last day a dating covers: a day, a month, a year, or its own end."""
    if precision == DatePrecision.YEAR:
        first, last = date.replace(month=1, day=1), date.replace(month=12, day=31)
    elif precision == DatePrecision.MONTH:
        first = date.replace(day=1)
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    else:
        first = last = date
    if end_date and end_date > last:
        last = end_date
    return first, last


def unit_start(date, unit):
    """The first day of the ``unit`` that holds ``date`` (weeks start on Monday)."""
    if unit == "quarter":
        return date.replace(month=(date.month - 1) // 3 * 3 + 1, day=1)
    if unit == "year":
        return date.replace(month=1, day=1)
    if unit == "month":
        return date.replace(day=1)
    if unit == "week":
        return date - datetime.timedelta(days=date.weekday())
    return date


def unit_next(date, unit):
    """The start of the unit after ``date``'s; ``date.max`` past the calendar's end."""
    try:
        return _unit_after(unit_start(date, unit), unit)
    except (ValueError, OverflowError):
        return datetime.date.max


def unit_end(date, unit):
    """The last day of the unit that holds ``date`` (``date.max`` at the calendar's
    end)."""
    following = unit_next(date, unit)
    return following if following == datetime.date.max else following - DAY


def _unit_after(start, unit):
    if unit == "year":
        return start.replace(year=start.year + 1)
    if unit == "quarter":
        month = start.month + 3
        return start.replace(year=start.year + (month > 12), month=(month - 1) % 12 + 1)
    if unit == "month":
        return (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return start + datetime.timedelta(days=7 if unit == "week" else 1)


def unit_label(date, unit):
    """A tick's label: the year, the month (with its year in January), or the day."""
    if unit == "year":
        return str(date.year)
    if unit == "month":
        return f"{date:%b %Y}" if date.month == 1 else f"{date:%b}"
    return f"{date.day} {date:%b}"


def stretch_label(start, end, unit):
    """A stretch of days named as briefly as its unit allows: "2022", "Q1 2022",
    "January 2022", or its first and last day."""
    if unit == "year" and start.year == end.year:
        return str(start.year)
    if unit == "quarter" and (end - start).days > 80:
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    if unit == "month" and (start.year, start.month) == (end.year, end.month):
        return f"{start:%B %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%b} – {end.day} {end:%b %Y}"
    return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"


def shift(date, delta):
    """``date + delta``, kept within the calendar (a range of 9,000 years is valid)."""
    try:
        return date + delta
    except OverflowError:
        return datetime.date.min if delta.days < 0 else datetime.date.max
