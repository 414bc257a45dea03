"""Working days (dangjian.core.calendar): Monday to Friday, minus the zone's public holidays,
plus weekend days made working days (调休)."""

import datetime

import pytest

from dangjian.core.calendar import add_workdays, workdays

from .factories import ONE_DAY, D, holiday, national_day_2025

pytestmark = pytest.mark.django_db

MON, FRI, SAT, SUN = D(2025, 3, 3), D(2025, 3, 7), D(2025, 3, 8), D(2025, 3, 9)


def reference_add_workdays(start, count):
    """The plain definition, one day at a time, for comparing long spans."""
    day, found = start, 0
    while found < count:
        day += ONE_DAY
        if workdays(day, day):
            found += 1
    return day


# -- workdays -------------------------------------------------------------------------------------
def test_a_plain_week_has_five_working_days_monday_to_friday():
    assert workdays(MON, SUN) == [MON + ONE_DAY * i for i in range(5)]


def test_a_weekend_alone_has_no_working_day():
    assert workdays(SAT, SUN) == []


def test_both_ends_of_the_range_are_included():
    assert workdays(MON, MON) == [MON]
    assert workdays(FRI, D(2025, 3, 10)) == [FRI, D(2025, 3, 10)]


def test_an_empty_range_has_no_working_days():
    assert workdays(FRI, MON) == []


def test_a_public_holiday_on_a_weekday_is_not_a_working_day():
    holiday(D(2025, 3, 5), "测试假日")
    assert workdays(MON, SUN) == [D(2025, 3, 3), D(2025, 3, 4), D(2025, 3, 6), D(2025, 3, 7)]


def test_a_weekend_day_made_a_working_day_counts():
    holiday(SAT, "调休上班", workday=True)
    assert workdays(MON, SUN) == [MON + ONE_DAY * i for i in range(6)]


def test_holidays_outside_the_range_do_not_matter():
    holiday(D(2025, 3, 10), "测试假日")
    holiday(D(2025, 3, 2), "调休上班", workday=True)
    assert len(workdays(MON, SUN)) == 5


def test_the_national_day_fortnight_has_six_working_days_with_its_two_made_up_days():
    national_day_2025()
    assert workdays(D(2025, 9, 27), D(2025, 10, 12)) == [
        D(2025, 9, 28),  # 周日调休上班
        D(2025, 9, 29),
        D(2025, 9, 30),
        D(2025, 10, 9),
        D(2025, 10, 10),
        D(2025, 10, 11),  # 周六调休上班
    ]


# -- add_workdays -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (MON, 1, D(2025, 3, 4)),
        (MON, 4, FRI),
        (MON, 5, D(2025, 3, 10)),
        (D(2025, 3, 6), 2, D(2025, 3, 10)),  # Thursday + 2 → Monday
        (FRI, 1, D(2025, 3, 10)),  # Friday + 1 → Monday
        (SAT, 1, D(2025, 3, 10)),
        (SUN, 1, D(2025, 3, 10)),
        (FRI, 10, D(2025, 3, 21)),
    ],
)
def test_add_workdays_skips_weekends_and_does_not_count_the_start_day(start, count, expected):
    assert add_workdays(start, count) == expected


def test_add_workdays_skips_a_public_holiday_on_a_weekday():
    holiday(D(2025, 5, 1), "劳动节")  # Thursday
    assert add_workdays(D(2025, 4, 30), 1) == D(2025, 5, 2)
    assert add_workdays(D(2025, 4, 30), 2) == D(2025, 5, 5)


def test_add_workdays_counts_a_made_up_working_saturday():
    holiday(D(2025, 10, 11), "国庆节调休", workday=True)
    assert add_workdays(D(2025, 10, 10), 1) == D(2025, 10, 11)
    assert add_workdays(D(2025, 10, 10), 2) == D(2025, 10, 13)


def test_add_workdays_over_the_national_day_holiday():
    national_day_2025()
    assert add_workdays(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert add_workdays(D(2025, 9, 29), 2) == D(2025, 10, 9)
    assert add_workdays(D(2025, 9, 26), 1) == D(2025, 9, 28)  # Friday → the made-up Sunday
    assert add_workdays(D(2025, 10, 1), 3) == D(2025, 10, 11)  # from inside the holiday


def test_without_the_holidays_entered_the_national_day_is_ordinary_weekdays():
    assert add_workdays(D(2025, 9, 30), 1) == D(2025, 10, 1)


def test_the_spring_festival_week_with_its_made_up_days():
    """春节 2025: 1月28日–2月4日 放假, 1月26日（周日）and 2月8日（周六）上班."""
    for offset in range(8):
        holiday(D(2025, 1, 28) + ONE_DAY * offset, "春节")
    holiday(D(2025, 1, 26), "春节调休", workday=True)
    holiday(D(2025, 2, 8), "春节调休", workday=True)
    assert add_workdays(D(2025, 1, 24), 1) == D(2025, 1, 26)
    assert add_workdays(D(2025, 1, 27), 1) == D(2025, 2, 5)
    assert add_workdays(D(2025, 1, 27), 4) == D(2025, 2, 8)
    assert add_workdays(D(2025, 1, 27), 5) == D(2025, 2, 10)


@pytest.mark.parametrize("count", [1, 5, 15, 22, 23, 40, 61, 250])
def test_add_workdays_over_long_spans_matches_counting_day_by_day(count):
    national_day_2025()
    start = D(2025, 8, 15)
    expected = reference_add_workdays(start, count)
    assert add_workdays(start, count) == expected
    assert len(workdays(start + ONE_DAY, expected)) == count


def test_a_long_holiday_beyond_the_first_search_window_is_still_skipped():
    # more than 30 calendar days of holidays: the search must go on past its first window
    for offset in range(45):
        holiday(D(2025, 7, 1) + ONE_DAY * offset, "长假")
    assert add_workdays(D(2025, 6, 30), 1) == D(2025, 8, 15)


def test_adding_zero_working_days_is_the_start_day_itself():
    assert add_workdays(FRI, 0) == FRI


def test_a_deadline_is_always_a_working_day():
    national_day_2025()
    day = D(2025, 9, 20)
    while day < D(2025, 10, 20):
        due = add_workdays(day, 1)
        assert workdays(due, due) == [due], day
        assert due > day
        day += datetime.timedelta(days=1)
