"""Working days: Monday to Friday, minus the zone's public holidays, plus weekend days made
working days (调休), as entered in the 节假日 calendar."""

import datetime


def workdays(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    from .models import Holiday

    marked = dict(Holiday.objects.filter(day__gte=start, day__lte=end).values_list("day", "is_workday"))
    days, day = [], start
    while day <= end:
        if marked.get(day, day.weekday() < 5):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def add_workdays(start: datetime.date, count: int) -> datetime.date:
    """The `count`-th working day after `start` (start itself not counted); `start` for 0."""
    if count <= 0:
        return start
    day, found = start, 0
    span = max(count * 2 + 14, 30)
    while True:
        for candidate in workdays(day + datetime.timedelta(days=1), day + datetime.timedelta(days=span)):
            found += 1
            if found == count:
                return candidate
        day += datetime.timedelta(days=span)


def week_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)
