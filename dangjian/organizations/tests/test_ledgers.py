"""党组织 (organizations) and 阵地与岗区 (posts) ledgers — LEDGERS.md."""

import datetime

import pytest
from django.utils import timezone

from dangjian.audit.models import AuditEntry
from dangjian.core.ledgers import export_ledger, import_ledger
from dangjian.core.testing.ledgers import (
    assert_round_trip,
    export_rows,
    import_rows,
    record_changes,
)
from dangjian.members.models import Member
from dangjian.organizations import services
from dangjian.organizations.models import OrgKind, PartyOrganization, Post, PostKind, UnitNature
from dangjian.testing.factories import make_org

ROOT = "测试高新区党工委"
ORG_HEADER = [
    "组织名称*",
    "组织简称",
    "组织类别*",
    "上级组织",
    "所在单位",
    "单位性质",
    "成立日期",
    "书记",
    "标准化规范化达标",
    "党建品牌",
    "本届任期开始",
    "撤销日期",
]
SHORT_HEADER = ["组织名称", "组织类别", "上级组织"]
POST_HEADER = ["名称", "类型", "所属党组织", "设立日期", "撤销日期"]
YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def org(name, kind="党支部", parent="甲企业党委"):
    return [name, kind, parent]


def only_error(report):
    assert not report.ok
    assert len(report.errors) == 1, report.errors
    return report.errors[0].brief


# -- organizations: every column --------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv-bom", "csv-utf8", "csv-gb18030"])
def test_a_full_organization_ledger_imports_every_column(fmt):
    rows = [
        ["商洛高新区党组织台账（2024年）"],
        [],
        ORG_HEADER,
        [
            ROOT,
            "党工委",
            "党工委",
            "",
            "商洛高新区管委会",
            "机关",
            "2010年5月1日",
            "王书记",
            "是",
            "",
            "2021.06.01",
            "",
        ],
        [
            "商洛甲科技有限公司党委",
            "甲科技党委",
            "党委",
            ROOT,
            "商洛甲科技有限公司",
            "非公企业",
            "2015/7/1",
            "李书记",
            "√",
            "红色引擎",
            "20210601",
            "",
        ],
        [
            "甲科技研发党支部",
            "",
            "党支部",
            "商洛甲科技有限公司党委",
            "商洛甲科技有限公司",
            "非公企业",
            "2016-03-01",
            "",
            "N",
            "",
            "",
            "",
        ],
        ["研发第一党小组", "", "党小组", "甲科技研发党支部", "", "", "", "", "", "", "", ""],
        [
            "重点项目临时党支部",
            "",
            "临时党支部",
            ROOT,
            "某重点项目",
            "项目",
            "2020-01-01",
            "",
            "0",
            "",
            "",
            "2023-12-31",
        ],
    ]
    report = import_rows("organizations", rows, fmt)
    assert report.ok, report.errors
    assert (report.header_row, report.created) == (3, 5)
    committee = PartyOrganization.objects.get(name="商洛甲科技有限公司党委")
    assert committee.short_name == "甲科技党委"
    assert committee.kind == OrgKind.COMMITTEE
    assert committee.parent.name == ROOT
    assert committee.unit_name == "商洛甲科技有限公司"
    assert committee.unit_nature == UnitNature.NON_PUBLIC
    assert committee.founded_on == datetime.date(2015, 7, 1)
    assert committee.secretary_name == "李书记"
    assert committee.standardized is True
    assert committee.brand == "红色引擎"
    assert committee.term_started_on == datetime.date(2021, 6, 1)
    assert PartyOrganization.objects.get(name=ROOT).standardized is True
    assert PartyOrganization.objects.get(name="甲科技研发党支部").standardized is False
    group = PartyOrganization.objects.get(name="研发第一党小组")
    assert group.kind == OrgKind.PARTY_GROUP
    assert group.parent.name == "甲科技研发党支部"
    assert group.standardized is False
    temporary = PartyOrganization.objects.get(name="重点项目临时党支部")
    assert temporary.dissolved_on == datetime.date(2023, 12, 31)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("是", True),
        ("否", False),
        ("Y", True),
        ("N", False),
        ("√", True),
        ("×", False),
        ("1", True),
        ("0", False),
        ("TRUE", True),
        ("FALSE", False),
        (True, True),
        (False, False),
        (1, True),
        (0, False),
    ],
)
def test_standardized_accepts_every_yes_no_form(written, expected):
    report = import_rows(
        "organizations", [["组织名称", "组织类别", "是否标准化规范化达标"], [ROOT, "党工委", written]]
    )
    assert report.ok, report.errors
    assert PartyOrganization.objects.get().standardized is expected


@pytest.mark.django_db
def test_an_excel_date_cell_is_read_as_the_founding_date():
    rows = [
        ["组织名称", "组织类别", "成立日期", "本届任期开始"],
        [ROOT, "党工委", datetime.datetime(2010, 5, 1), 44348],
    ]
    report = import_rows("organizations", rows)
    assert report.ok, report.errors
    root = PartyOrganization.objects.get()
    assert (root.founded_on, root.term_started_on) == (datetime.date(2010, 5, 1), datetime.date(2021, 6, 1))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "written", ["2012年1月", "2012.01", "2012.1", "2012-01", "2012/1", "201201", " 2012年01月 "]
)
@pytest.mark.parametrize("column", ["成立日期", "建立日期", "本届任期开始", "换届日期"])
def test_a_month_only_founding_or_term_date_is_the_first_of_that_month(column, written):
    report = import_rows("organizations", [["组织名称", "组织类别", column], [ROOT, "党工委", written]])
    assert report.ok, report.errors
    root = PartyOrganization.objects.get()
    assert datetime.date(2012, 1, 1) in (root.founded_on, root.term_started_on)


@pytest.mark.django_db
def test_month_only_dates_are_exported_as_full_dates_and_import_back_unchanged():
    report = import_rows(
        "organizations",
        [["组织名称", "组织类别", "成立日期", "本届任期开始"], [ROOT, "党工委", "2012年12月", "2024.01"]],
    )
    assert report.ok, report.errors
    rows = export_rows("organizations")
    root = dict(zip(rows[0], rows[1], strict=True))
    assert root["成立日期"].date() == datetime.date(2012, 12, 1)
    assert root["本届任期开始"].date() == datetime.date(2024, 1, 1)
    again = import_rows("organizations", rows)
    assert (again.ok, again.unchanged, again.updated) == (True, 1, 0)
    # and the same month-only file again changes nothing either
    assert (
        import_rows(
            "organizations",
            [["组织名称", "组织类别", "成立日期", "本届任期开始"], [ROOT, "党工委", "2012年12月", "2024.01"]],
        ).unchanged
        == 1
    )


@pytest.mark.django_db
@pytest.mark.parametrize("written", ["2012年13月", "2012.00", "201213"])
def test_a_month_that_does_not_exist_is_a_row_error(written):
    report = import_rows("organizations", [["组织名称", "组织类别", "成立日期"], [ROOT, "党工委", written]])
    assert only_error(report).startswith("第 2 行 成立日期：")
    assert not PartyOrganization.objects.exists()


@pytest.mark.django_db
def test_a_month_only_dissolution_date_is_rejected_because_it_needs_a_day():
    report = import_rows(
        "organizations", [["组织名称", "组织类别", "撤销日期"], [ROOT, "党工委", "2019年7月"]]
    )
    assert only_error(report) == "第 2 行 撤销日期：“2019年7月”只到月份，此列需要填写具体日期"


@pytest.mark.django_db
def test_a_month_only_term_before_a_founding_day_in_that_month_is_a_row_error():
    report = import_rows(
        "organizations",
        [["组织名称", "组织类别", "成立日期", "本届任期开始"], [ROOT, "党工委", "2012-01-15", "2012年1月"]],
    )
    assert not report.ok
    assert "本届任期开始" in report.errors[0]


@pytest.mark.django_db
def test_an_unknown_unit_nature_is_a_row_error():
    report = import_rows(
        "organizations", [["组织名称", "组织类别", "单位性质"], [ROOT, "党工委", "民营企业"]]
    )
    assert only_error(report).startswith("第 2 行 单位性质：“民营企业”不是可选值（机关、事业单位")


@pytest.mark.django_db
def test_a_name_longer_than_200_characters_is_a_row_error():
    report = import_rows("organizations", [SHORT_HEADER, ["党" * 201, "党工委", ""]])
    assert only_error(report) == "第 2 行 组织名称：超过 200 个字"


# -- organizations: the tree ------------------------------------------------------------------
@pytest.mark.django_db
def test_parent_may_be_a_row_earlier_in_the_same_file():
    rows = [SHORT_HEADER, [ROOT, "党工委", ""], org("甲企业党委", "党委", ROOT), org("甲一党支部")]
    report = import_rows("organizations", rows)
    assert report.ok, report.errors
    assert PartyOrganization.objects.get(name="甲一党支部").parent.name == "甲企业党委"


@pytest.mark.django_db
def test_parent_on_a_later_row_of_the_file_is_a_row_error():
    rows = [SHORT_HEADER, [ROOT, "党工委", ""], org("甲一党支部"), org("甲企业党委", "党委", ROOT)]
    report = import_rows("organizations", rows)
    assert (
        only_error(report) == "第 3 行 上级组织：找不到上级组织“甲企业党委”（须在本文件前面的行或系统中已有）"
    )
    assert PartyOrganization.objects.count() == 0


def test_parent_may_be_an_organization_already_in_the_database(zone):
    report = import_rows("organizations", [SHORT_HEADER, org("甲三党支部")])
    assert report.ok, report.errors
    assert PartyOrganization.objects.get(name="甲三党支部").parent == zone.committee_a


def test_parent_named_by_more_than_one_organization_is_a_row_error(zone):
    make_org("第一党支部", OrgKind.BRANCH, zone.committee_a)
    make_org("综合党总支", OrgKind.GENERAL_BRANCH, zone.root)
    make_org("第一党支部", OrgKind.BRANCH, PartyOrganization.objects.get(name="综合党总支"))
    report = import_rows("organizations", [SHORT_HEADER, org("第一党小组", "党小组", "第一党支部")])
    assert only_error(report) == "第 2 行 上级组织：名为“第一党支部”的上级组织有多个，无法确定是哪一个"


@pytest.mark.django_db
def test_an_empty_parent_is_allowed_for_the_root():
    report = import_rows("organizations", [SHORT_HEADER, [ROOT, "党工委", ""]])
    assert report.ok, report.errors
    assert PartyOrganization.objects.get().is_root()


def test_an_empty_parent_is_a_row_error_once_there_is_a_root(zone):
    report = import_rows("organizations", [SHORT_HEADER, ["另一个党工委", "党工委", ""]])
    assert only_error(report) == f"第 2 行 上级组织：必须填写上级组织（只有根组织“{ROOT}”可以没有上级组织）"


@pytest.mark.django_db
def test_a_second_root_in_the_same_file_is_a_row_error():
    report = import_rows(
        "organizations", [SHORT_HEADER, [ROOT, "党工委", ""], ["另一个党工委", "党工委", ""]]
    )
    assert only_error(report).startswith("第 3 行 上级组织：必须填写上级组织")


@pytest.mark.parametrize("parent", ["甲企业党委", ROOT])
def test_a_party_group_under_anything_but_a_branch_is_a_row_error(zone, parent):
    report = import_rows("organizations", [SHORT_HEADER, org("第二党小组", "党小组", parent)])
    assert only_error(report).startswith("第 2 行 上级组织：党小组只能设在党支部之下")


def test_a_party_group_under_a_general_branch_is_a_row_error(zone):
    make_org("综合党总支", OrgKind.GENERAL_BRANCH, zone.root)
    report = import_rows("organizations", [SHORT_HEADER, org("第二党小组", "党小组", "综合党总支")])
    assert only_error(report) == "第 2 行 上级组织：党小组只能设在党支部之下，“综合党总支”是党总支"


@pytest.mark.parametrize("kind", ["党支部", "联合党支部", "临时党支部"])
def test_a_party_group_under_any_kind_of_branch_is_accepted(zone, kind):
    rows = [SHORT_HEADER, org("新支部", kind, ROOT), org("新支部第一党小组", "党小组", "新支部")]
    report = import_rows("organizations", rows)
    assert report.ok, report.errors
    assert PartyOrganization.objects.get(name="新支部第一党小组").parent.kind == OrgKind(
        {"党支部": "branch", "联合党支部": "joint_branch", "临时党支部": "temporary_branch"}[kind]
    )


@pytest.mark.django_db
def test_a_party_group_as_the_root_is_a_row_error():
    report = import_rows("organizations", [SHORT_HEADER, ["第一党小组", "党小组", ""]])
    assert only_error(report) == "第 2 行 上级组织：党小组必须隶属于党支部"


def test_nothing_can_be_placed_under_a_party_group(zone):
    report = import_rows("organizations", [SHORT_HEADER, org("小组下的支部", "党支部", "甲一第1党小组")])
    assert only_error(report) == "第 2 行 上级组织：党小组“甲一第1党小组”之下不能再设组织"


def test_a_branch_under_a_branch_is_a_row_error(zone):
    report = import_rows("organizations", [SHORT_HEADER, org("支部下的支部", "党支部", "甲一党支部")])
    assert only_error(report) == "第 2 行 上级组织：党支部不能隶属于党支部“甲一党支部”"


def test_a_committee_under_a_committee_is_accepted(zone):
    report = import_rows("organizations", [SHORT_HEADER, org("甲企业子公司党委", "党委", "甲企业党委")])
    assert report.ok, report.errors


def test_a_dissolved_organization_takes_no_new_suborganization(zone):
    services.organization_update(actor=None, organization=zone.committee_a, dissolved_on=YESTERDAY)
    report = import_rows("organizations", [SHORT_HEADER, org("甲三党支部")])
    assert only_error(report) == f"第 2 行 上级组织：上级组织“甲企业党委”已于 {YESTERDAY:%Y-%m-%d} 撤销"


def test_the_same_name_under_two_parents_is_two_organizations(zone):
    rows = [
        SHORT_HEADER,
        org("第一党小组", "党小组", "甲二党支部"),
        org("第一党小组", "党小组", "乙企业党支部"),
    ]
    report = import_rows("organizations", rows)
    assert report.ok, report.errors
    assert report.created == 2
    assert {o.parent.name for o in PartyOrganization.objects.filter(name="第一党小组")} == {
        "甲二党支部",
        "乙企业党支部",
    }
    assert import_rows("organizations", rows).unchanged == 2


def test_the_same_name_twice_under_one_parent_with_different_kinds_is_a_row_error(zone):
    rows = [SHORT_HEADER, org("甲三党支部"), org("甲三党支部", "联合党支部")]
    report = import_rows("organizations", rows)
    assert only_error(report) == "第 3 行 组织名称：与第 2 行重复，但内容不同"


@pytest.mark.django_db
def test_dissolution_before_founding_is_a_row_error():
    rows = [["组织名称", "组织类别", "成立日期", "撤销日期"], [ROOT, "党工委", "2020-01-02", "2020-01-01"]]
    assert only_error(import_rows("organizations", rows)) == "第 2 行 撤销日期：撤销日期不能早于成立日期"


@pytest.mark.django_db
def test_dissolution_on_the_founding_day_is_accepted():
    rows = [["组织名称", "组织类别", "成立日期", "撤销日期"], [ROOT, "党工委", "2020-01-01", "2020-01-01"]]
    assert import_rows("organizations", rows).ok


@pytest.mark.django_db
def test_a_term_starting_before_founding_is_a_row_error():
    rows = [["组织名称", "组织类别", "成立日期", "换届日期"], [ROOT, "党工委", "2020-01-02", "2020-01-01"]]
    assert only_error(import_rows("organizations", rows)) == "第 2 行 换届日期：本届任期开始不能早于成立日期"


# -- organizations: updates -------------------------------------------------------------------
def test_a_changed_row_updates_the_organization_found_by_name_and_parent(zone):
    rows = [
        ["组织名称", "组织类别", "上级组织", "党建品牌"],
        ["甲一党支部", "党支部", "甲企业党委", "先锋甲一"],
    ]
    before = record_changes()
    report = import_rows("organizations", rows)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    assert PartyOrganization.objects.get(pk=zone.branch_a1.pk).brand == "先锋甲一"
    assert record_changes() == before + 1
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).first()
    assert entry.after == {"brand": "先锋甲一"}


def test_a_column_left_out_of_the_file_keeps_its_value(zone):
    services.organization_update(actor=None, organization=zone.branch_a1, brand="先锋甲一")
    report = import_rows("organizations", [SHORT_HEADER, org("甲一党支部")])
    assert (report.updated, report.unchanged) == (0, 1)
    assert PartyOrganization.objects.get(pk=zone.branch_a1.pk).brand == "先锋甲一"


def test_an_empty_cell_in_a_present_column_clears_the_value(zone):
    services.organization_update(actor=None, organization=zone.branch_a1, brand="先锋甲一")
    report = import_rows("organizations", [[*SHORT_HEADER, "党建品牌"], [*org("甲一党支部"), ""]])
    assert report.updated == 1
    assert PartyOrganization.objects.get(pk=zone.branch_a1.pk).brand == ""


def test_unit_name_of_an_enterprise_links_the_organization_to_it(zone):
    report = import_rows(
        "organizations", [[*SHORT_HEADER, "单位名称"], [*org("乙企业第二党支部", "党支部", ROOT), "乙企业"]]
    )
    assert report.ok, report.errors
    assert PartyOrganization.objects.get(name="乙企业第二党支部").unit_enterprise == zone.enterprise_b


def test_an_empty_unit_cell_clears_the_unit_of_an_organization_linked_to_an_enterprise(zone):
    rows = [[*SHORT_HEADER, "所在单位"], [*org("甲一党支部"), ""]]
    report = import_rows("organizations", rows)
    assert (report.updated, report.unchanged) == (1, 0)
    branch = PartyOrganization.objects.get(pk=zone.branch_a1.pk)
    assert (branch.unit_name, branch.unit_enterprise) == ("", None)
    again = import_rows("organizations", rows)
    assert (again.updated, again.unchanged) == (0, 1)


def test_the_unit_cell_naming_the_linked_enterprise_leaves_the_organization_unchanged(zone):
    report = import_rows("organizations", [[*SHORT_HEADER, "所在单位"], [*org("甲一党支部"), "甲企业"]])
    assert (report.updated, report.unchanged) == (0, 1)
    assert PartyOrganization.objects.get(pk=zone.branch_a1.pk).unit_enterprise == zone.enterprise_a


def test_changing_a_kind_so_that_the_children_no_longer_fit_is_a_row_error(zone):
    report = import_rows("organizations", [SHORT_HEADER, org("甲一党支部", "党总支")])
    assert only_error(report).startswith(
        "第 2 行 组织类别：改为党总支后，下级组织“甲一第1党小组”不符合隶属规则"
    )
    assert PartyOrganization.objects.get(pk=zone.branch_a1.pk).kind == OrgKind.BRANCH


def test_changing_a_kind_to_a_party_group_outside_a_branch_is_a_row_error(zone):
    report = import_rows("organizations", [SHORT_HEADER, org("甲二党支部", "党小组")])
    assert only_error(report).startswith("第 2 行 上级组织：党小组只能设在党支部之下")


# -- organizations: round trip ----------------------------------------------------------------
def _full_tree(zone):
    services.organization_update(
        actor=None,
        organization=zone.committee_a,
        short_name="甲党委",
        unit_nature=UnitNature.NON_PUBLIC,
        founded_on=datetime.date(2015, 7, 1),
        secretary_name="李书记",
        standardized=True,
        brand="红色引擎",
        term_started_on=datetime.date(2021, 6, 1),
    )
    make_org(
        "某项目临时党支部",
        OrgKind.TEMPORARY_BRANCH,
        zone.root,
        unit_name="某重点项目",
        unit_nature=UnitNature.PROJECT,
        founded_on=datetime.date(2020, 1, 1),
        dissolved_on=datetime.date(2023, 12, 31),
    )
    make_org("联合党支部", OrgKind.JOINT_BRANCH, zone.root, unit_name="小微企业联合体")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_organizations_export_and_import_back_unchanged(zone, fmt):
    _full_tree(zone)
    report = assert_round_trip("organizations", fmt)
    assert report.unchanged == PartyOrganization.objects.count() == 8


def test_organizations_export_writes_the_ledger_words_and_the_parent_name(zone):
    _full_tree(zone)
    rows = export_rows("organizations")
    committee = dict(zip(rows[0], next(r for r in rows if r[0] == "甲企业党委"), strict=True))
    assert committee["组织类别"] == "党委"
    assert committee["上级组织"] == ROOT
    assert committee["单位性质"] == "非公企业"
    assert committee["所在单位"] == "甲企业"
    assert committee["标准化规范化达标"] == "是"
    assert committee["成立日期"].date() == datetime.date(2015, 7, 1)
    root = dict(zip(rows[0], rows[1], strict=True))
    assert (root["组织名称"], root["上级组织"]) == (ROOT, None)


def test_an_exported_tree_imports_into_an_empty_database(zone):
    _full_tree(zone)
    data = export_ledger("organizations", fmt="csv")
    expected = sorted(
        (o.name, o.kind, o.parent.name if o.parent else None, o.dissolved_on)
        for o in PartyOrganization.objects.all()
    )
    Member.objects.all().delete()
    Post.objects.all().delete()
    for org_ in PartyOrganization.objects.order_by("-depth"):
        org_.delete()
    assert PartyOrganization.objects.count() == 0
    report = import_ledger("organizations", data, "导出.csv")
    assert report.ok, report.errors
    assert report.created == 8
    got = sorted(
        (o.name, o.kind, o.parent.name if o.parent else None, o.dissolved_on)
        for o in PartyOrganization.objects.all()
    )
    assert got == expected


# -- posts ------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["xlsx", "csv-bom", "csv-gb18030"])
def test_posts_import_with_every_kind_and_a_month_only_setup_date(zone, fmt):
    rows = [
        ["阵地与岗区台账"],
        [" 岗区名称 *", "类型（必填）", "党组织", "设立日期"],
        ["甲企业党员活动室", "党员活动室", "甲企业党委", "2019.07"],
        ["高新区党群服务中心", "党群服务中心", ROOT, "2019年7月"],
        ["甲一车间党员责任区", "党员责任区", "甲一党支部", "2020-03-15"],
        ["乙企业党员示范岗", "党员示范岗", "乙企业党支部", datetime.datetime(2021, 5, 4)],
    ]
    report = import_rows("posts", rows, fmt)
    assert report.ok, report.errors
    assert report.created == 4
    room = Post.objects.get(name="甲企业党员活动室")
    assert (room.kind, room.organization, room.org_path) == (
        PostKind.ACTIVITY_ROOM,
        zone.committee_a,
        zone.committee_a.path,
    )
    assert (room.established_on, room.established_month_only) == (datetime.date(2019, 7, 1), True)
    centre = Post.objects.get(name="高新区党群服务中心")
    assert (centre.established_on, centre.established_month_only) == (datetime.date(2019, 7, 1), True)
    area = Post.objects.get(name="甲一车间党员责任区")
    assert (area.established_on, area.established_month_only) == (datetime.date(2020, 3, 15), False)


def test_a_post_revocation_date_needs_a_day(zone):
    report = import_rows(
        "posts", [POST_HEADER, ["甲企业党员活动室", "党员活动室", "甲企业党委", "", "2023.12"]]
    )
    assert only_error(report) == "第 2 行 撤销日期：“2023.12”只到月份，此列需要填写具体日期"


def test_a_post_revoked_before_it_was_set_up_is_a_row_error(zone):
    rows = [POST_HEADER, ["甲企业党员活动室", "党员活动室", "甲企业党委", "2020-01-02", "2020-01-01"]]
    assert only_error(import_rows("posts", rows)) == "第 2 行 撤销日期：撤销日期不能早于设立日期"


def test_a_post_of_an_unknown_organization_is_a_row_error(zone):
    report = import_rows("posts", [POST_HEADER, ["活动室", "党员活动室", "丙企业党支部", "", ""]])
    assert only_error(report) == "第 2 行 所属党组织：找不到党组织“丙企业党支部”"


def test_a_post_of_an_organization_name_held_twice_is_a_row_error(zone):
    make_org("第一党支部", OrgKind.BRANCH, zone.committee_a)
    make_org("第一党支部", OrgKind.BRANCH, zone.root)
    report = import_rows("posts", [POST_HEADER, ["活动室", "党员活动室", "第一党支部", "", ""]])
    assert only_error(report) == "第 2 行 所属党组织：名为“第一党支部”的党组织有多个，无法确定是哪一个"


def test_an_unknown_post_kind_is_a_row_error(zone):
    report = import_rows("posts", [POST_HEADER, ["活动室", "活动室", "甲企业党委", "", ""]])
    assert only_error(report).startswith("第 2 行 类型：“活动室”不是可选值（党员活动室、党群服务中心")


def test_a_dissolved_organization_takes_no_new_post(zone):
    services.organization_update(actor=None, organization=zone.branch_a2, dissolved_on=YESTERDAY)
    report = import_rows("posts", [POST_HEADER, ["甲二活动室", "党员活动室", "甲二党支部", "", ""]])
    assert only_error(report) == "第 2 行 所属党组织：“甲二党支部”已撤销，不能新设阵地与岗区"


def test_the_same_post_name_in_two_organizations_is_two_posts(zone):
    rows = [
        POST_HEADER,
        ["党员活动室", "党员活动室", "甲一党支部", "", ""],
        ["党员活动室", "党员活动室", "甲二党支部", "", ""],
    ]
    assert import_rows("posts", rows).created == 2


def test_a_changed_post_row_updates_the_post_found_by_name_and_organization(zone):
    rows = [POST_HEADER, ["甲企业党员活动室", "党员活动室", "甲企业党委", "2019.07", ""]]
    import_rows("posts", rows)
    rows[1][4] = "2024-01-31"
    report = import_rows("posts", rows)
    assert (report.created, report.updated) == (0, 1)
    post = Post.objects.get()
    assert post.revoked_on == datetime.date(2024, 1, 31)
    assert post.established_month_only is True


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_reimporting_the_same_posts_file_changes_nothing(zone, fmt):
    rows = [
        POST_HEADER,
        ["甲企业党员活动室", "党员活动室", "甲企业党委", "2019.07", ""],
        ["甲一示范岗", "党员示范岗", "甲一党支部", "2020-03-15", "2023-01-01"],
    ]
    assert import_rows("posts", rows, fmt).created == 2
    before = record_changes()
    report = import_rows("posts", rows, fmt)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert record_changes() == before


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_posts_export_and_import_back_unchanged(zone, fmt):
    services.post_create(
        actor=None,
        name="甲企业党员活动室",
        kind=PostKind.ACTIVITY_ROOM,
        organization=zone.committee_a,
        established_on=datetime.date(2019, 7, 1),
        established_month_only=True,
    )
    services.post_create(
        actor=None,
        name="=甲一示范岗",
        kind=PostKind.MODEL_POST,
        organization=zone.branch_a1,
        established_on=datetime.date(2020, 3, 15),
        revoked_on=datetime.date(2023, 1, 1),
    )
    rows = export_rows("posts", fmt)
    room = next(r for r in rows if r[0] == "甲企业党员活动室")
    assert room[3] == "2019.07"
    assert_round_trip("posts", fmt)
