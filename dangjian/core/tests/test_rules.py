"""Versioned rules: the version in force on a day, and checks on a new version's contents."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from dangjian.core.models import RuleSet
from dangjian.core.rules import default_values as rules_values
from dangjian.core.rules import rule_problems, rules_for
from dangjian.members import rules as member_rules
from dangjian.partylife import rules as partylife_rules


@pytest.mark.django_db
def test_the_default_is_version_one_and_a_newer_version_applies_from_its_date():
    first = rules_for(partylife_rules.QUORUM, datetime.date(2025, 6, 1))
    assert first.version == 1
    newer = RuleSet.objects.create(
        key=partylife_rules.QUORUM,
        version=2,
        effective_from=datetime.date(2026, 1, 1),
        values={"vote": [2, 3, "at_least"], "election": [4, 5, "at_least"]},
    )
    assert rules_for(partylife_rules.QUORUM, datetime.date(2025, 12, 31)) == first
    assert rules_for(partylife_rules.QUORUM, datetime.date(2026, 1, 1)) == newer


def test_a_version_must_keep_the_shape_of_the_defaults():
    problems = rule_problems(partylife_rules.QUORUM, {"vote": [1, 2, "more_than"]})
    assert problems == ["缺少“election”"]
    assert rule_problems(
        partylife_rules.QUORUM, {"vote": [1, 2, "more_than"], "election": [4, 5, "at_least"], "extra": 1}
    ) == ["多出未知的“extra”"]
    assert "“min_age”应为数字" in rule_problems(
        member_rules.DEVELOPMENT, dict(rules_values(member_rules.DEVELOPMENT), min_age="十八")
    )


def test_a_frequency_must_be_month_quarter_or_year():
    values = dict(rules_values(partylife_rules.FREQUENCY), theme_day="week")
    assert rule_problems(partylife_rules.FREQUENCY, values) == [
        "“theme_day”的频次应为 month、quarter 或 year"
    ]


def test_a_quorum_fraction_must_be_proper_and_its_mode_known():
    problems = rule_problems(
        partylife_rules.QUORUM, {"vote": [3, 2, "more_than"], "election": [4, 5, "most"]}
    )
    assert "“vote”的比例应为两个正整数，且分子不大于分母" in problems
    assert "“election”的方式应为 more_than（超过）或 at_least（达到）" in problems


@pytest.mark.django_db
def test_saving_a_bad_version_is_refused_with_the_problems():
    rule = RuleSet(
        key=partylife_rules.QUORUM,
        version=9,
        effective_from=datetime.date(2026, 1, 1),
        values={"vote": [1, 2, "more_than"]},
    )
    with pytest.raises(ValidationError) as caught:
        rule.full_clean()
    assert caught.value.message_dict["values"] == ["缺少“election”"]


def test_the_default_dues_table_is_a_valid_version_of_itself():
    assert rule_problems(member_rules.DUES, rules_values(member_rules.DUES)) == []


@pytest.mark.parametrize(
    ("number", "text"),
    [(0, "零"), (1, "一"), (6, "六"), (10, "十"), (12, "十二"), (20, "二十"), (24, "二十四"), (99, "九十九")],
)
def test_rule_numbers_are_written_in_chinese_numerals(number, text):
    from dangjian.core.validators import chinese_number

    assert chinese_number(number) == text


@pytest.mark.parametrize(
    ("months", "text"), [(12, "一年"), (24, "两年"), (6, "六个月"), (2, "两个月"), (18, "十八个月")]
)
def test_periods_are_written_as_rules_word_them(months, text):
    from dangjian.core.validators import period_text

    assert period_text(months) == text


@pytest.mark.django_db
def test_rules_held_answer_every_day_as_the_query_does_from_one_read(django_assert_num_queries):
    from dangjian.core.rules import rules_held

    first = rules_for(partylife_rules.QUORUM, datetime.date(2025, 6, 1))
    values = {"vote": [2, 3, "at_least"], "election": [4, 5, "at_least"]}
    newer = RuleSet.objects.create(
        key=partylife_rules.QUORUM, version=2, effective_from=datetime.date(2026, 1, 1), values=values
    )
    corrected = RuleSet.objects.create(
        key=partylife_rules.QUORUM, version=3, effective_from=datetime.date(2026, 1, 1), values=values
    )
    days = [
        datetime.date(1990, 1, 1),
        datetime.date(2025, 12, 31),
        datetime.date(2026, 1, 1),
        datetime.date(2030, 5, 5),
    ]
    expected = [rules_for(partylife_rules.QUORUM, day) for day in days]
    assert expected == [first, first, corrected, corrected]
    assert newer not in expected
    # the versions once, and once version 1 for a day before every version (as rules_for does)
    with rules_held(), django_assert_num_queries(2):
        assert [rules_for(partylife_rules.QUORUM, day) for day in days * 3] == expected * 3
    with django_assert_num_queries(1):  # outside the block, each call asks again
        rules_for(partylife_rules.QUORUM, days[2])
