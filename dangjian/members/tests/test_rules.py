"""The roster rules of Member.clean and the member services."""

import datetime
from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError

from dangjian.core.testing.codes import make_id_number
from dangjian.core.validators import id_check_digit, normalize_id_number
from dangjian.members import services
from dangjian.members.models import Member, MemberCategory
from dangjian.organizations.models import OrgKind
from dangjian.testing.factories import make_member, make_org

D = datetime.date
BIRTH = D(1990, 5, 6)


@contextmanager
def refused(field):
    with pytest.raises(ValidationError) as excinfo:
        yield excinfo
    assert field in excinfo.value.message_dict, excinfo.value.message_dict


def create(organization, **fields):
    fields.setdefault("name", "张三")
    fields.setdefault("id_number", make_id_number(BIRTH, 7))
    fields.setdefault("category", MemberCategory.FULL)
    fields.setdefault("joined_on", D(2015, 7, 1))
    if fields["category"] == MemberCategory.FULL:
        fields.setdefault("regularized_on", D(2016, 7, 1))
    return services.member_create(actor=None, organization=organization, **fields)


def with_wrong_check_digit(number):
    right = number[17]
    wrong = next(c for c in "0123456789X" if c != right)
    return number[:17] + wrong


# -- GB 11643 ----------------------------------------------------------------------------------


def test_check_digit_follows_gb_11643():
    # the worked example of GB 11643-1999
    assert id_check_digit("11010519491231002") == "X"
    assert normalize_id_number("11010519491231002x") == "11010519491231002X"


def test_an_id_number_with_a_wrong_check_digit_is_refused(zone):
    with refused("id_number") as excinfo:
        create(zone.branch_a1, id_number=with_wrong_check_digit(make_id_number(BIRTH, 7)))
    assert "校验位" in excinfo.value.message_dict["id_number"][0]
    assert not Member.objects.exists()


@pytest.mark.parametrize(
    "number",
    ["61100219900506123", "6110021990050612345", "61100219900506A123", "611002199002300011"],
)
def test_malformed_id_numbers_are_refused(zone, number):
    with refused("id_number"):
        create(zone.branch_a1, id_number=number)


def test_an_impossible_birth_date_in_the_id_number_is_refused(zone):
    first17 = "61100219900230001"  # 30 February
    with refused("id_number") as excinfo:
        create(zone.branch_a1, id_number=first17 + id_check_digit(first17))
    assert "出生日期" in excinfo.value.message_dict["id_number"][0]


def test_sex_and_birth_date_are_taken_from_the_id_number(zone):
    member = create(zone.branch_a1, id_number=make_id_number(D(1988, 2, 29), 3, "女"))
    member = Member.objects.get(pk=member.pk)
    assert member.sex == "女"
    assert member.birth_date == D(1988, 2, 29)


def test_a_sex_that_disagrees_with_the_id_number_is_refused(zone):
    with refused("sex") as excinfo:
        create(zone.branch_a1, id_number=make_id_number(BIRTH, 7, "男"), sex="女")
    assert "男" in excinfo.value.message_dict["sex"][0]


def test_a_birth_date_that_disagrees_with_the_id_number_is_refused(zone):
    with refused("birth_date") as excinfo:
        create(zone.branch_a1, birth_date=D(1990, 5, 7))
    assert "1990-05-06" in excinfo.value.message_dict["birth_date"][0]


def test_a_birth_date_that_agrees_with_the_id_number_is_accepted(zone):
    member = create(zone.branch_a1, sex="男", birth_date=BIRTH)
    assert Member.objects.get(pk=member.pk).birth_date == BIRTH


def test_changing_the_sex_against_the_id_number_is_refused(zone):
    member = create(zone.branch_a1)
    with refused("sex"):
        services.member_update(actor=None, member=member, sex="女")
    assert Member.objects.get(pk=member.pk).sex == "男"


# -- age on joining ------------------------------------------------------------------------------


def test_joining_the_day_before_the_18th_birthday_is_refused(zone):
    with refused("joined_on") as excinfo:
        create(zone.branch_a1, joined_on=D(2008, 5, 5), regularized_on=D(2009, 5, 5))
    assert "18" in excinfo.value.message_dict["joined_on"][0]


def test_joining_on_the_18th_birthday_is_allowed(zone):
    member = create(zone.branch_a1, joined_on=D(2008, 5, 6), regularized_on=D(2009, 5, 6))
    assert Member.objects.get(pk=member.pk).joined_on == D(2008, 5, 6)


# -- probation -----------------------------------------------------------------------------------


JOINED = D(2015, 7, 1)


@pytest.mark.parametrize(
    ("regularized", "extended"),
    [
        (D(2016, 7, 1), False),  # exactly one year
        (D(2016, 7, 1), True),
        (D(2016, 7, 2), True),  # extended: one day more
        (D(2017, 7, 1), True),  # extended: two years
    ],
)
def test_regularized_within_the_allowed_probation_is_accepted(zone, regularized, extended):
    member = create(zone.branch_a1, joined_on=JOINED, regularized_on=regularized, probation_extended=extended)
    assert Member.objects.get(pk=member.pk).regularized_on == regularized


@pytest.mark.parametrize(
    ("regularized", "extended", "words"),
    [
        (D(2016, 6, 30), False, "早于"),  # one day before one year
        (D(2016, 6, 30), True, "早于"),
        (D(2016, 7, 2), False, "延长预备期"),  # one day late without an extension
        (D(2017, 7, 1), False, "延长预备期"),
        (D(2017, 7, 2), True, "两年"),  # extended, but longer than two years
        (D(2017, 7, 2), False, "两年"),
    ],
)
def test_regularized_outside_the_allowed_probation_is_refused(zone, regularized, extended, words):
    with refused("regularized_on") as excinfo:
        create(zone.branch_a1, joined_on=JOINED, regularized_on=regularized, probation_extended=extended)
    assert words in excinfo.value.message_dict["regularized_on"][0]


@pytest.mark.parametrize("regularized", [D(2017, 2, 28), D(2017, 3, 1)])
def test_joined_on_29_february_is_regularized_on_28_february_or_1_march(zone, regularized):
    member = create(zone.branch_a1, joined_on=D(2016, 2, 29), regularized_on=regularized)
    assert Member.objects.get(pk=member.pk).regularized_on == regularized


def test_joined_on_29_february_is_not_regularized_on_27_february(zone):
    with refused("regularized_on"):
        create(zone.branch_a1, joined_on=D(2016, 2, 29), regularized_on=D(2017, 2, 27))


def test_joined_on_29_february_may_be_extended_to_28_february_two_years_on(zone):
    member = create(
        zone.branch_a1, joined_on=D(2016, 2, 29), regularized_on=D(2018, 2, 28), probation_extended=True
    )
    assert Member.objects.get(pk=member.pk).regularized_on == D(2018, 2, 28)
    with refused("regularized_on"):
        create(
            zone.branch_a1,
            id_number=make_id_number(BIRTH, 8),
            joined_on=D(2016, 2, 29),
            regularized_on=D(2018, 3, 2),
            probation_extended=True,
        )


def test_a_probationary_member_has_no_regularization_date(zone):
    with refused("regularized_on") as excinfo:
        create(
            zone.branch_a1,
            category=MemberCategory.PROBATIONARY,
            joined_on=D(2026, 1, 5),
            regularized_on=D(2027, 1, 5),
        )
    assert "预备党员" in excinfo.value.message_dict["regularized_on"][0]


def test_a_probationary_member_without_regularization_date_is_accepted(zone):
    member = create(zone.branch_a1, category=MemberCategory.PROBATIONARY, joined_on=D(2026, 1, 5))
    assert Member.objects.get(pk=member.pk).regularized_on is None


def test_a_full_member_needs_a_regularization_date(zone):
    with refused("regularized_on"):
        create(zone.branch_a1, regularized_on=None)


def test_regularizing_a_probationary_member_with_a_wrong_date_is_refused(zone):
    member = create(zone.branch_a1, category=MemberCategory.PROBATIONARY, joined_on=D(2025, 3, 10))
    with refused("regularized_on"):
        services.member_update(
            actor=None, member=member, category=MemberCategory.FULL, regularized_on=D(2026, 3, 9)
        )
    services.member_update(
        actor=None,
        member=Member.objects.get(pk=member.pk),
        category=MemberCategory.FULL,
        regularized_on=D(2026, 3, 10),
    )
    assert Member.objects.get(pk=member.pk).category == MemberCategory.FULL


# -- organization and party group ------------------------------------------------------------------


def test_a_working_committee_does_not_hold_members(zone):
    with refused("organization") as excinfo:
        create(zone.root)
    assert "党工委" in excinfo.value.message_dict["organization"][0]


def test_a_party_group_does_not_hold_members(zone):
    with refused("organization"):
        create(zone.group_a1)


@pytest.mark.parametrize("kind", [OrgKind.GENERAL_BRANCH, OrgKind.JOINT_BRANCH, OrgKind.TEMPORARY_BRANCH])
def test_general_joint_and_temporary_branches_hold_members(zone, kind):
    org = make_org("持有党员的组织", kind, zone.committee_a)
    member = create(org)
    assert Member.objects.get(pk=member.pk).org_path == org.path


def test_a_committee_holds_members(zone):
    member = create(zone.committee_a)
    assert Member.objects.get(pk=member.pk).organization == zone.committee_a


def test_the_party_group_must_be_a_party_group(zone):
    with refused("party_group") as excinfo:
        create(zone.committee_a, party_group=zone.branch_a1)
    assert "不是党小组" in excinfo.value.message_dict["party_group"][0]


def test_the_party_group_must_belong_to_the_members_organization(zone):
    with refused("party_group"):
        create(zone.branch_a2, party_group=zone.group_a1)


def test_the_party_group_must_sit_directly_under_the_members_organization(zone):
    with refused("party_group"):
        create(zone.committee_a, party_group=zone.group_a1)


def test_a_party_group_of_the_members_branch_is_accepted(zone):
    member = create(zone.branch_a1, party_group=zone.group_a1)
    assert Member.objects.get(pk=member.pk).party_group == zone.group_a1


# -- duplicates ----------------------------------------------------------------------------------


def test_a_duplicate_id_number_is_refused_with_a_chinese_message(zone):
    first = create(zone.branch_a1, name="李四")
    with refused("id_number") as excinfo:
        create(zone.branch_b, name="王五", id_number=first.id_number)
    message = excinfo.value.message_dict["id_number"][0]
    assert "该公民身份号码已登记" in message
    assert "李四" in message
    assert Member.objects.count() == 1


def test_a_duplicate_written_differently_is_still_refused(zone):
    number = next(n for n in (make_id_number(BIRTH, seq) for seq in range(1, 200)) if n.endswith("X"))
    create(zone.branch_a1, id_number=number)
    fullwidth = number[:17].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "x"
    with refused("id_number"):
        create(zone.branch_b, name="王五", id_number=f" {fullwidth} ")
    assert Member.objects.count() == 1


def test_changing_to_another_members_id_number_is_refused(zone):
    first = create(zone.branch_a1)
    second = make_member(zone.branch_a1)
    with refused("id_number"):
        services.member_update(actor=None, member=second, id_number=first.id_number)
    assert Member.objects.get(pk=second.pk).id_number != first.id_number


def test_saving_a_member_unchanged_is_not_a_duplicate(zone):
    member = create(zone.branch_a1)
    services.member_update(actor=None, member=member, position="工程师")
    assert Member.objects.get(pk=member.pk).position == "工程师"


# -- the numbers of the roster rules come from the versioned development rule ---------------------
def _development_version(effective_from, **changes):
    from dangjian.core.rules import rule_version_add, rules_for
    from dangjian.members.rules import DEVELOPMENT

    values = {**rules_for(DEVELOPMENT, effective_from).values, **changes}
    return rule_version_add(actor=None, key=DEVELOPMENT, effective_from=effective_from, values=values)


def test_the_joining_age_follows_the_rule_in_force_on_the_day_of_joining(zone):
    _development_version(D(2010, 1, 1), min_age=20)
    # 19 years old in 2009, when 18 was the age: accepted
    create(zone.branch_a1, joined_on=D(2009, 5, 6), regularized_on=D(2010, 5, 6))
    # 19 years old in 2010, when the rule says 20: refused, and the message says 20
    with refused("joined_on") as excinfo:
        create(
            zone.branch_a1,
            id_number=make_id_number(BIRTH, 9),
            joined_on=D(2010, 3, 1),
            regularized_on=D(2011, 3, 1),
        )
    assert excinfo.value.message_dict["joined_on"] == ["入党时未满 20 周岁（出生于 1990-05-06）"]


def test_a_probation_of_two_years_under_a_later_rule_version(zone):
    _development_version(D(2015, 1, 1), probation_years=2)
    member = create(zone.branch_a1, joined_on=D(2015, 7, 1), regularized_on=D(2017, 7, 1))
    assert member.regularized_on == D(2017, 7, 1)
    with refused("regularized_on") as excinfo:
        create(
            zone.branch_a1,
            id_number=make_id_number(BIRTH, 9),
            joined_on=D(2015, 7, 1),
            regularized_on=D(2016, 7, 1),
        )
    assert excinfo.value.message_dict["regularized_on"] == ["转正日期早于入党满两年（应为 2017-07-01）"]
