"""党员花名册 (members) ledger — LEDGERS.md."""

import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from dangjian.audit.models import AuditEntry
from dangjian.core.ledgers import RevealNotConfirmed, export_ledger
from dangjian.core.testing.codes import make_id_number
from dangjian.core.testing.ledgers import (
    Formatted,
    assert_round_trip,
    error_briefs,
    export_rows,
    import_rows,
    record_changes,
)
from dangjian.core.validators import id_check_digit
from dangjian.members import services
from dangjian.members.models import Education, Member, MemberCategory, Membership, MembershipStatus
from dangjian.organizations import services as org_services
from dangjian.organizations.models import OrgKind
from dangjian.testing.factories import make_member, make_org, make_user

HEADER = [
    "姓名",
    "性别",
    "民族",
    "公民身份号码",
    "出生日期",
    "学历",
    "人员类别",
    "入党日期",
    "转正日期",
    "所在党组织",
    "所在党小组",
    "工作岗位",
    "手机号码",
    "党籍状态",
    "是否流动党员",
]
BIRTH = datetime.date(1990, 5, 6)
TODAY = timezone.localdate()
_seq = itertools.count(500)
# a region of its own: never the number of a member made by make_member (region 611002, its own count)
REGION = "621002"


def id_for(birth=BIRTH, sex="男"):
    return make_id_number(birth, next(_seq), sex, region=REGION)


def row(**values):
    """A roster row in HEADER order; a 正式党员 joined 2015-07-01 in 甲一党支部 unless told."""
    defaults = {
        "姓名": "张三",
        "公民身份号码": values.pop("id_number", None) or id_for(),
        "人员类别": "正式党员",
        "入党日期": "2015-07-01",
        "转正日期": "2016-07-01",
        "所在党组织": "甲一党支部",
    }
    defaults.update(values)
    return [defaults.get(h, "") for h in HEADER]


def import_one(fmt="xlsx", **values):
    return import_rows("members", [HEADER, row(**values)], fmt)


def only_error(report):
    assert not report.ok
    assert len(report.errors) == 1, report.errors
    return report.errors[0].brief


def ok(report):
    assert report.ok, report.errors
    return report


# -- every column -----------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["xlsx", "csv-bom", "csv-utf8", "csv-gb18030"])
def test_a_messy_roster_imports_every_column(zone, fmt):
    id_zhang, id_li = id_for(), id_for(datetime.date(1998, 2, 10), "女")
    rows = [
        ["甲企业党委2024年党员花名册"],
        ["填报日期：2024年1月5日"],
        [],
        [
            "序号",
            "姓名 *",
            "性别",
            "民族",
            "身份证号",
            "出生日期",
            "学历",
            "党员类别（必填）",
            "入党时间",
            "转为正式党员日期",
            "所在支部",
            "所在党小组",
            "职务",
            "联系电话",
            "党籍状态",
            "是否流动党员",
        ],
        [
            "1",
            "张三",
            "男",
            "汉族",
            id_zhang,
            "1990年5月6日",
            "本科",
            "正式党员",
            "2015.07",
            "2016.07",
            "甲一党支部",
            "甲一第1党小组",
            "工程师",
            "138 0013 8000",
            "正常",
            "否",
        ],
        [],
        [
            "2",
            "李四",
            "",
            "回族",
            id_li.lower(),
            "",
            "硕士研究生",
            "预备",
            "2024/3/1",
            "",
            "甲企业党委",
            "",
            "",
            "+86 139-0013-9000",
            "",
            "√",
        ],
    ]
    report = import_rows("members", rows, fmt)
    assert ok(report).created == 2
    assert report.header_row == 4
    assert report.unknown_columns == ["序号"]
    zhang = Member.objects.get(name="张三")
    assert zhang.id_number == id_zhang
    assert (zhang.sex, zhang.ethnicity, zhang.birth_date) == ("男", "汉族", BIRTH)
    assert zhang.education == Education.BACHELOR
    assert zhang.category == MemberCategory.FULL
    assert (zhang.joined_on, zhang.joined_month_only) == (datetime.date(2015, 7, 1), True)
    assert (zhang.regularized_on, zhang.regularized_month_only) == (datetime.date(2016, 7, 1), True)
    assert zhang.probation_extended is False
    assert (zhang.organization, zhang.party_group) == (zone.branch_a1, zone.group_a1)
    assert (zhang.position, zhang.phone) == ("工程师", "13800138000")
    assert (zhang.status, zhang.is_mobile) == (MembershipStatus.NORMAL, False)
    li = Member.objects.get(name="李四")
    assert li.id_number == id_li.upper()
    assert (li.sex, li.birth_date) == ("女", datetime.date(1998, 2, 10))
    assert li.education == Education.POSTGRADUATE
    assert (li.category, li.regularized_on) == (MemberCategory.PROBATIONARY, None)
    assert (li.joined_on, li.joined_month_only) == (datetime.date(2024, 3, 1), False)
    assert (li.organization, li.party_group) == (zone.committee_a, None)
    assert (li.phone, li.is_mobile) == ("13900139000", True)


def test_a_new_member_gets_a_membership_that_counts_from_the_day_they_joined(zone):
    ok(import_one(入党日期="2015-07-01"))
    member = Member.objects.get()
    stay = Membership.objects.get(member=member)
    assert (stay.organization, stay.valid_from, stay.start_known, stay.valid_until) == (
        zone.branch_a1,
        datetime.date(2015, 7, 1),
        False,
        None,
    )
    assert member.org_path == zone.branch_a1.path


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("研究生", Education.POSTGRADUATE),
        ("博士", Education.POSTGRADUATE),
        ("大学本科", Education.BACHELOR),
        ("大专", Education.COLLEGE),
        ("中专", Education.SECONDARY_VOCATIONAL),
        ("技校", Education.SECONDARY_VOCATIONAL),
        ("高中", Education.HIGH_SCHOOL),
        ("初中", Education.JUNIOR_OR_BELOW),
        ("初中及以下", Education.JUNIOR_OR_BELOW),
    ],
)
def test_education_accepts_the_ledger_words_and_their_common_forms(zone, written, expected):
    ok(import_one(学历=written))
    assert Member.objects.get().education == expected


def test_an_unknown_education_is_a_row_error(zone):
    assert only_error(import_one(学历="博士后")).startswith(
        "第 2 行 学历：“博士后”不是可选值（研究生、大学本科"
    )


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("是", True),
        ("Y", True),
        ("1", True),
        ("TRUE", True),
        ("否", False),
        ("N", False),
        ("×", False),
        ("0", False),
        ("", False),
    ],
)
def test_mobile_member_flag_accepts_every_yes_no_form(zone, written, expected):
    ok(import_one(是否流动党员=written))
    assert Member.objects.get().is_mobile is expected


def test_membership_status_may_be_suspended_and_defaults_to_normal(zone):
    ok(import_rows("members", [HEADER, row(党籍状态="停止党籍"), row(姓名="李四", 党籍状态="")]))
    assert Member.objects.get(name="张三").status == MembershipStatus.SUSPENDED
    assert Member.objects.get(name="李四").status == MembershipStatus.NORMAL


def test_an_unknown_member_category_is_a_row_error(zone):
    assert only_error(import_one(人员类别="入党积极分子")).startswith(
        "第 2 行 人员类别：“入党积极分子”不是可选值"
    )


# -- ID number (GB 11643) ---------------------------------------------------------------------
def test_an_id_number_with_a_wrong_check_digit_is_a_row_error(zone):
    good = id_for()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    assert only_error(import_one(id_number=bad)) == "第 2 行 公民身份号码：校验位错误（不符合 GB 11643）"


@pytest.mark.parametrize(("cut", "length"), [(17, 17), (19, 19)])
def test_an_id_number_that_is_not_18_characters_is_a_row_error(zone, cut, length):
    number = (id_for() + "1")[:cut]
    assert only_error(import_one(id_number=number)) == f"第 2 行 公民身份号码：应为 18 位，实际为 {length} 位"


def test_an_id_number_with_letters_inside_is_a_row_error(zone):
    number = "61100219900506A01" + "1"
    assert (
        only_error(import_one(id_number=number))
        == "第 2 行 公民身份号码：前 17 位应为数字，最后一位为数字或 X"
    )


def test_an_id_number_with_an_impossible_birth_date_is_a_row_error(zone):
    first17 = "61100219900231001"
    number = first17 + id_check_digit(first17)
    assert only_error(import_one(id_number=number)) == "第 2 行 公民身份号码：出生日期码无效"


@pytest.mark.parametrize(
    "written",
    [
        "61010219900506009X",
        "61010219900506009x",
        "６１０１０２１９９００５０６００９Ｘ",
        " 610102 19900506 009X ",
    ],
)
def test_an_id_number_ending_in_x_is_accepted_however_written(zone, written):
    ok(import_one(id_number=written))
    assert Member.objects.get().id_number == "61010219900506009X"


def test_the_id_column_is_found_under_its_synonyms(zone):
    for synonym in ("身份证号", "身份证号码"):
        header = [synonym if h == "公民身份号码" else h for h in HEADER]
        report = import_rows("members", [header, row(姓名=synonym)])
        assert ok(report).created == 1


def test_an_empty_id_number_is_a_row_error(zone):
    assert only_error(import_one(公民身份号码="")) == "第 2 行 公民身份号码：必填，不能为空"


# -- sex and birth date agree with the ID number ----------------------------------------------
def test_sex_that_disagrees_with_the_id_number_is_a_row_error(zone):
    report = import_one(id_number=id_for(sex="女"), 性别="男")
    assert only_error(report) == "第 2 行 性别：与公民身份号码不一致（号码表明为女）"


@pytest.mark.parametrize("written", ["女", "女性"])
def test_sex_that_agrees_with_the_id_number_is_accepted(zone, written):
    ok(import_one(id_number=id_for(sex="女"), 性别=written))
    assert Member.objects.get().sex == "女"


def test_an_empty_sex_is_taken_from_the_id_number(zone):
    ok(import_one(id_number=id_for(sex="女"), 性别=""))
    assert Member.objects.get().sex == "女"


def test_a_birth_date_that_disagrees_with_the_id_number_is_a_row_error(zone):
    report = import_one(出生日期="1990-05-07")
    assert only_error(report) == "第 2 行 出生日期：与公民身份号码不一致（号码表明为 1990-05-06）"


@pytest.mark.parametrize("written", ["1990-05-06", "1990年5月6日", "19900506", datetime.datetime(1990, 5, 6)])
def test_a_birth_date_that_agrees_with_the_id_number_is_accepted(zone, written):
    ok(import_one(出生日期=written))
    assert Member.objects.get().birth_date == BIRTH


def test_an_empty_birth_date_is_filled_from_the_id_number(zone):
    ok(import_one(出生日期=""))
    assert Member.objects.get().birth_date == BIRTH


def test_a_birth_date_column_left_out_is_filled_from_the_id_number(zone):
    header = [h for h in HEADER if h != "出生日期"]
    values = [v for h, v in zip(HEADER, row(), strict=True) if h != "出生日期"]
    ok(import_rows("members", [header, values]))
    assert Member.objects.get().birth_date == BIRTH


def test_a_month_only_birth_date_is_rejected(zone):
    assert (
        only_error(import_one(出生日期="1990.05"))
        == "第 2 行 出生日期：“1990.05”只到月份，此列需要填写具体日期"
    )


# -- 18 or older on 入党日期 -------------------------------------------------------------------
EIGHTEEN = datetime.date(2000, 3, 15)


def test_joining_the_day_before_the_18th_birthday_is_a_row_error(zone):
    report = import_one(id_number=id_for(EIGHTEEN), 入党日期="2018-03-14", 转正日期="2019-03-14")
    assert only_error(report) == "第 2 行 入党日期：入党时未满 18 周岁（出生于 2000-03-15）"


def test_joining_on_the_18th_birthday_is_accepted(zone):
    ok(import_one(id_number=id_for(EIGHTEEN), 入党日期="2018-03-15", 转正日期="2019-03-15"))


def test_joining_in_the_month_of_the_18th_birthday_given_only_to_the_month_is_accepted(zone):
    ok(import_one(id_number=id_for(EIGHTEEN), 入党日期="2018.03", 转正日期="2019.03"))
    member = Member.objects.get()
    assert (member.joined_on, member.joined_month_only) == (datetime.date(2018, 3, 1), True)


def test_joining_in_the_month_before_the_18th_birthday_given_only_to_the_month_is_a_row_error(zone):
    report = import_one(id_number=id_for(EIGHTEEN), 入党日期="2018年2月", 转正日期="2019年2月")
    assert only_error(report) == "第 2 行 入党日期：入党时未满 18 周岁（出生于 2000-03-15）"


def test_joining_in_the_month_of_the_18th_birthday_written_as_an_excel_month_cell_is_accepted(zone):
    # Chinese Excel turns a typed 2018年3月 into the date 2018-03-01 shown as 2018年3月
    month = 'yyyy"年"m"月"'
    report = import_one(
        id_number=id_for(EIGHTEEN),
        入党日期=Formatted(datetime.datetime(2018, 3, 1), month),
        转正日期=Formatted(datetime.datetime(2019, 3, 1), month),
    )
    ok(report)
    member = Member.objects.get()
    assert (member.joined_on, member.joined_month_only, member.regularized_month_only) == (
        datetime.date(2018, 3, 1),
        True,
        True,
    )


def test_the_error_names_the_join_column_as_the_file_writes_it(zone):
    header = ["加入党组织日期" if h == "入党日期" else h for h in HEADER]
    report = import_rows(
        "members", [header, row(id_number=id_for(EIGHTEEN), 入党日期="2018-03-14", 转正日期="2019-03-14")]
    )
    assert only_error(report).startswith("第 2 行 加入党组织日期：入党时未满 18 周岁")


# -- 转正日期 ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("regularized", "extended"),
    [("2021-07-01", False), ("2021-07-02", True), ("2022-01-01", True), ("2022-07-01", True)],
)
def test_regularization_one_year_after_joining_or_up_to_one_more_year_is_accepted(
    zone, regularized, extended
):
    ok(import_one(入党日期="2020-07-01", 转正日期=regularized))
    member = Member.objects.get()
    assert member.regularized_on == datetime.date.fromisoformat(regularized)
    assert member.probation_extended is extended


def test_regularization_one_day_before_a_full_year_is_a_row_error(zone):
    report = import_one(入党日期="2020-07-01", 转正日期="2021-06-30")
    assert only_error(report) == "第 2 行 转正日期：转正日期早于入党满一年（应为 2021-07-01）"


def test_regularization_one_day_after_two_years_is_a_row_error(zone):
    report = import_one(入党日期="2020-07-01", 转正日期="2022-07-02")
    assert only_error(report) == "第 2 行 转正日期：转正日期晚于入党满两年，超过最长预备期"


@pytest.mark.parametrize(
    ("regularized", "extended"), [("2021.07", False), ("2021.08", True), ("2022.07", True)]
)
def test_month_only_regularization_is_compared_by_month(zone, regularized, extended):
    ok(import_one(入党日期="2020.07", 转正日期=regularized))
    assert Member.objects.get().probation_extended is extended


@pytest.mark.parametrize("regularized", ["2021.06", "2022.08"])
def test_month_only_regularization_outside_one_to_two_years_is_a_row_error(zone, regularized):
    report = import_one(入党日期="2020.07", 转正日期=regularized)
    assert only_error(report) == "第 2 行 转正日期：转正日期应在入党满一年时（延长预备期的最多再延长一年）"


def test_a_month_only_regularization_after_a_full_join_date_is_compared_by_month(zone):
    ok(import_one(入党日期="2020-07-15", 转正日期="2021年7月"))
    assert Member.objects.get().probation_extended is False


@pytest.mark.parametrize("regularized", ["2021-02-28", "2021-03-01"])
def test_joining_on_29_february_regularizes_on_28_february_or_1_march(zone, regularized):
    ok(import_one(入党日期="2020-02-29", 转正日期=regularized))
    assert Member.objects.get().probation_extended is False


def test_a_probationary_member_with_a_regularization_date_is_a_row_error(zone):
    report = import_one(人员类别="预备党员", 入党日期="2024-03-01", 转正日期="2025-03-01")
    assert only_error(report) == "第 2 行 转正日期：预备党员不应有转正日期"


def test_a_full_member_without_a_regularization_date_is_a_row_error(zone):
    assert only_error(import_one(转正日期="")) == "第 2 行 转正日期：正式党员必须填写转正日期"


def test_a_full_member_in_a_file_without_the_regularization_column_is_a_row_error(zone):
    header = [h for h in HEADER if h != "转正日期"]
    values = [v for h, v in zip(HEADER, row(), strict=True) if h != "转正日期"]
    assert (
        only_error(import_rows("members", [header, values])) == "第 2 行 转正日期：正式党员必须填写转正日期"
    )


def test_a_probationary_member_without_a_regularization_date_is_accepted(zone):
    ok(import_one(人员类别="预备党员", 入党日期="2024-03-01", 转正日期=""))
    assert Member.objects.get().category == MemberCategory.PROBATIONARY


# -- organization and party group -------------------------------------------------------------
@pytest.mark.parametrize("organization", ["测试高新区党工委", "甲一第1党小组"])
def test_a_member_cannot_be_held_by_a_working_committee_or_a_party_group(zone, organization):
    error = only_error(import_one(所在党组织=organization))
    assert error.startswith(f"第 2 行 所在党组织：“{organization}”是")
    assert "不能直接管理党员" in error


@pytest.mark.parametrize(
    "kind",
    [
        OrgKind.COMMITTEE,
        OrgKind.GENERAL_BRANCH,
        OrgKind.BRANCH,
        OrgKind.JOINT_BRANCH,
        OrgKind.TEMPORARY_BRANCH,
    ],
)
def test_a_member_can_be_held_by_committees_general_branches_and_branches(zone, kind):
    make_org("新组织", kind, zone.root)
    ok(import_one(所在党组织="新组织"))


def test_a_member_of_an_unknown_organization_is_a_row_error(zone):
    assert (
        only_error(import_one(所在党组织="丙企业党支部")) == "第 2 行 所在党组织：找不到党组织“丙企业党支部”"
    )


def test_a_member_of_an_organization_name_held_twice_is_a_row_error(zone):
    make_org("第一党支部", OrgKind.BRANCH, zone.committee_a)
    make_org("第一党支部", OrgKind.BRANCH, zone.root)
    report = import_one(所在党组织="第一党支部")
    assert only_error(report) == "第 2 行 所在党组织：名为“第一党支部”的党组织有多个，无法确定是哪一个"


def test_every_row_naming_an_unknown_organization_gets_its_own_error(zone):
    report = import_rows("members", [HEADER, row(所在党组织="丙"), row(姓名="李四", 所在党组织="丙")])
    assert error_briefs(report) == [
        "第 2 行 所在党组织：找不到党组织“丙”",
        "第 3 行 所在党组织：找不到党组织“丙”",
    ]


def test_a_party_group_under_the_members_organization_is_accepted(zone):
    ok(import_one(所在党小组="甲一第1党小组"))
    assert Member.objects.get().party_group == zone.group_a1


def test_a_party_group_of_another_organization_is_a_row_error(zone):
    report = import_one(所在党组织="甲二党支部", 所在党小组="甲一第1党小组")
    assert only_error(report) == "第 2 行 所在党小组：找不到“甲二党支部”下的党小组“甲一第1党小组”"


def test_a_party_group_cell_naming_an_organization_that_is_not_a_party_group_is_a_row_error(zone):
    make_org("甲一研发组", OrgKind.BRANCH, zone.committee_a)
    report = import_one(所在党组织="甲企业党委", 所在党小组="甲一党支部")
    assert only_error(report) == "第 2 行 所在党小组：找不到“甲企业党委”下的党小组“甲一党支部”"


def test_a_dissolved_organization_takes_no_new_members(zone):
    yesterday = TODAY - datetime.timedelta(days=1)
    org_services.organization_update(actor=None, organization=zone.branch_a2, dissolved_on=yesterday)
    report = import_one(所在党组织="甲二党支部")
    assert (
        only_error(report) == f"第 2 行 所在党组织：“甲二党支部”已于 {yesterday:%Y-%m-%d} 撤销，不能接收党员"
    )


def test_an_organization_dissolved_today_takes_no_new_members(zone):
    org_services.organization_update(actor=None, organization=zone.branch_a2, dissolved_on=TODAY)
    assert "不能接收党员" in only_error(import_one(所在党组织="甲二党支部"))


def test_an_organization_dissolved_only_tomorrow_still_takes_members(zone):
    tomorrow = TODAY + datetime.timedelta(days=1)
    org_services.organization_update(actor=None, organization=zone.branch_a2, dissolved_on=tomorrow)
    ok(import_one(所在党组织="甲二党支部"))


def test_members_already_in_a_dissolved_organization_reimport_unchanged(zone):
    member = make_member(zone.branch_a2, name="王五")
    rows = export_rows("members")
    yesterday = TODAY - datetime.timedelta(days=1)
    org_services.organization_update(actor=None, organization=zone.branch_a2, dissolved_on=yesterday)
    report = import_rows("members", rows)
    assert ok(report).unchanged == 1
    assert Member.objects.get(pk=member.pk).organization == zone.branch_a2


# -- mobile phone -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "written",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        "+86 13800138000",
        "8613800138000",
        "１３８００１３８０００",
        13800138000,
    ],
)
def test_an_11_digit_mobile_number_is_accepted_however_written(zone, written):
    ok(import_one(手机号码=written))
    assert Member.objects.get().phone == "13800138000"


@pytest.mark.parametrize("written", ["1380013800", "138001380001", "12800138000", "0914-2345678", "2345678"])
def test_a_number_that_is_not_an_11_digit_mobile_is_a_row_error(zone, written):
    assert only_error(import_one(手机号码=written)) == "第 2 行 手机号码：应为 11 位大陆手机号码"


def test_an_empty_mobile_number_is_accepted(zone):
    ok(import_one(手机号码=""))
    assert Member.objects.get().phone == ""


# -- updating by ID number --------------------------------------------------------------------
def test_a_row_with_a_known_id_number_updates_that_member(zone):
    member = make_member(zone.branch_a1, name="张三")
    before = record_changes()
    report = import_one(
        id_number=member.id_number,
        姓名="张三丰",
        转正日期="2016-07-01",
        入党日期="2015-07-01",
        出生日期="",
        工作岗位="车间主任",
    )
    assert (ok(report).created, report.updated) == (0, 1)
    member.refresh_from_db()
    assert (member.name, member.position) == ("张三丰", "车间主任")
    assert Member.objects.count() == 1
    assert record_changes() == before + 1


def test_a_known_id_number_written_in_lower_case_or_full_width_still_finds_the_member(zone):
    member = make_member(zone.branch_a1, name="张三", id_number="61010219900506009X")
    for written in ("61010219900506009x", "６１０１０２１９９００５０６００９ｘ"):
        report = import_one(id_number=written, 姓名="张三")
        assert (ok(report).created, report.unchanged) == (0, 1)
    assert Member.objects.get().pk == member.pk


def test_the_same_id_number_twice_in_a_file_with_different_content_is_a_row_error(zone):
    number = id_for()
    report = import_rows("members", [HEADER, row(id_number=number), row(id_number=number, 姓名="李四")])
    assert only_error(report) == "第 3 行 公民身份号码：与第 2 行重复，但内容不同"


def test_a_member_moved_to_another_organization_by_the_file_is_transferred_with_history(zone):
    member = make_member(zone.branch_a1, name="张三", joined=datetime.date(2015, 7, 1))
    report = import_one(
        id_number=member.id_number, 所在党组织="甲二党支部", 入党日期="2015-07-01", 转正日期="2016-07-01"
    )
    assert ok(report).updated == 1
    member.refresh_from_db()
    assert (member.organization, member.org_path) == (zone.branch_a2, zone.branch_a2.path)
    stays = list(Membership.objects.filter(member=member).order_by("valid_from"))
    assert [(s.organization, s.valid_from, s.valid_until) for s in stays] == [
        (zone.branch_a1, datetime.date(2015, 7, 1), TODAY - datetime.timedelta(days=1)),
        (zone.branch_a2, TODAY, None),
    ]


def test_a_member_moved_into_a_dissolved_organization_is_a_row_error(zone):
    member = make_member(zone.branch_a1, name="张三")
    org_services.organization_update(
        actor=None, organization=zone.branch_a2, dissolved_on=TODAY - datetime.timedelta(days=1)
    )
    report = import_one(id_number=member.id_number, 所在党组织="甲二党支部")
    assert "不能接收党员" in only_error(report)
    assert Member.objects.get().organization == zone.branch_a1


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_reimporting_the_same_roster_changes_nothing(zone, fmt):
    rows = [
        HEADER,
        row(所在党小组="甲一第1党小组", 手机号码="138 0013 8000", 入党日期="2015.07", 转正日期="2016.07"),
        row(
            姓名="李四",
            id_number=id_for(datetime.date(1998, 2, 10), "女"),
            人员类别="预备党员",
            入党日期="2024-03-01",
            转正日期="",
            所在党组织="甲企业党委",
            出生日期="1998-02-10",
            性别="女",
        ),
        row(
            姓名="王五", 入党日期="2015-07-01", 转正日期="2017-01-01", 党籍状态="停止党籍", 是否流动党员="是"
        ),
    ]
    assert ok(import_rows("members", rows, fmt)).created == 3
    before = record_changes()
    report = import_rows("members", rows, fmt)
    assert (ok(report).created, report.updated, report.unchanged) == (0, 0, 3)
    assert record_changes() == before


def test_dry_run_of_a_roster_writes_nothing(zone):
    member = make_member(zone.branch_a1, name="张三")
    rows = [HEADER, row(id_number=member.id_number, 姓名="张三丰"), row(姓名="李四")]
    report = import_rows("members", rows, dry_run=True)
    assert (ok(report).created, report.updated) == (1, 1)
    assert list(Member.objects.values_list("name", flat=True)) == ["张三"]


def test_a_secretary_cannot_import_members_outside_their_organization(zone, secretary_a):
    report = import_rows(
        "members", [HEADER, row(), row(姓名="李四", 所在党组织="乙企业党支部")], actor=secretary_a
    )
    assert len(report.errors) == 1
    assert report.errors[0].startswith("第 3 行 整行：超出您的数据授权范围")
    assert Member.objects.count() == 0


# -- export -----------------------------------------------------------------------------------
def _roster(zone):
    make_member(
        zone.branch_a1,
        name="张三",
        party_group=zone.group_a1,
        phone="13800138000",
        education="bachelor",
        ethnicity="汉族",
        position="=工程师",
        is_mobile=True,
    )
    make_member(
        zone.branch_a1,
        name="李四",
        sex="女",
        birth=datetime.date(1998, 2, 10),
        joined=datetime.date(2019, 7, 1),
        joined_month_only=True,
        regularized_on=datetime.date(2020, 9, 1),
        regularized_month_only=True,
        probation_extended=True,
        status=MembershipStatus.SUSPENDED,
    )
    make_member(
        zone.committee_a,
        name="王五",
        id_number="61010219900506009X",
        joined=datetime.date(2020, 7, 1),
        regularized_on=datetime.date(2021, 12, 1),
        probation_extended=True,
    )
    make_member(
        zone.branch_b, name="赵六", category=MemberCategory.PROBATIONARY, joined=datetime.date(2024, 3, 1)
    )
    left = make_member(zone.branch_b, name="钱七")
    services.member_leave(actor=None, member=left, on=TODAY, reason="转出")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_members_export_and_import_back_unchanged(zone, fmt):
    _roster(zone)
    report = assert_round_trip("members", fmt)
    assert report.unchanged == 4


def test_members_export_writes_full_numbers_ledger_words_and_month_only_dates(zone):
    _roster(zone)
    rows = export_rows("members")
    assert rows[0] == HEADER
    by_name = {r[0]: dict(zip(HEADER, r, strict=True)) for r in rows[1:]}
    assert "钱七" not in by_name  # members who left are not on the roster
    zhang, li = by_name["张三"], by_name["李四"]
    assert len(zhang["公民身份号码"]) == 18
    assert zhang["手机号码"] == "13800138000"
    assert (zhang["学历"], zhang["人员类别"], zhang["所在党小组"], zhang["是否流动党员"]) == (
        "大学本科",
        "正式党员",
        "甲一第1党小组",
        "是",
    )
    assert (li["入党日期"], li["转正日期"], li["党籍状态"]) == ("2019.07", "2020.09", "停止党籍")
    assert by_name["赵六"]["转正日期"] is None


def test_exporting_the_roster_is_logged_as_a_reveal_of_personal_data(zone, zone_admin):
    _roster(zone)
    export_ledger("members", user=zone_admin, fmt="csv", reveal_confirmed=True)
    reveal = AuditEntry.objects.filter(action=AuditEntry.Action.REVEAL).get()
    assert reveal.actor == zone_admin
    assert reveal.content_type.model_class() is Member
    assert reveal.message == "查看完整公民身份号码、手机号码：导出党员花名册 4 条（导出前已确认）"


def test_the_roster_is_not_exported_without_confirming_the_full_numbers(zone, zone_admin):
    _roster(zone)
    with pytest.raises(
        RevealNotConfirmed, match="含完整的公民身份号码和手机号码（个人敏感信息），须确认后才能导出"
    ):
        export_ledger("members", user=zone_admin, fmt="csv")
    assert not AuditEntry.objects.filter(
        action__in=[AuditEntry.Action.REVEAL, AuditEntry.Action.EXPORT]
    ).exists()


def test_exporting_the_roster_needs_the_permission_to_see_personal_data(zone):
    leader = make_user("leader", organization=zone.root)
    with pytest.raises(PermissionDenied, match="需要查看个人敏感信息的权限"):
        export_ledger("members", user=leader)


def test_a_secretary_exports_only_the_members_of_their_organization(zone, secretary_a):
    _roster(zone)
    rows = export_rows("members", user=secretary_a)
    assert sorted(r[0] for r in rows[1:]) == ["张三", "李四", "王五"]
