"""Working days on China's official calendar: public holidays and the 调休 make-up workdays.

The calendar comes from the `holidays` package, which follows the State Council's yearly
schedule; keep it up to date, since a year's 调休 is known only once that schedule is out.
"""

import functools

import holidays
from django.utils import timezone


@functools.cache
def china_calendar(first_year, last_year):
    # The years are populated up front: `is_working_day` only knows a year's weekend
    # make-up workdays once that year is loaded.
    return holidays.China(years=range(first_year, last_year + 1))


def calendar_around(day):
    this_year = timezone.localdate().year
    return china_calendar(min(day.year, this_year) - 1, max(day.year, this_year) + 2)


def is_working_day(day):
    return calendar_around(day).is_working_day(day)


def add_working_days(day, count):
    """The `count`-th working day after `day`: the deadline for "within `count` working days"."""
    return calendar_around(day).get_nth_working_day(day, count)


def working_days_between(start, end):
    """Working days after `start` up to and including `end`: how long handling took."""
    if end <= start:
        return 0
    return calendar_around(end).get_working_days_count(start, end) - int(is_working_day(start))
