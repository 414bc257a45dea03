"""人才库 (talents), 创新平台 (platforms) and 科技成果 (innovations) ledgers — LEDGERS.md: messy
files (title rows, `*` and （必填） headers, full-width spaces, synonyms, every date form, full-width
digits, Excel date cells, month-only 认定日期, CSV in GB18030 and with a BOM), all or nothing with
every row error, dry run, duplicate rows, re-import and round trip; the talents' key (the ID number
however written, else 姓名 + 工作单位); IDs masked in exports unless revealed with the permission,
a confirmation and the audit; what the talent office and an enterprise contact may import and
export."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from dangjian.audit.services import AuditEntry
from dangjian.core.ledgers import RevealNotConfirmed, export_ledger, ledgers
from dangjian.core.ledgers.changes import Change
from dangjian.core.ledgers.engine import IMPORT_ORDER
from dangjian.core.testing.codes import make_id_number
from dangjian.core.testing.english import english_words
from dangjian.core.testing.ledgers import (
    Formatted,
    assert_round_trip,
    error_briefs,
    export_rows,
    import_rows,
    read_export,
    record_changes,
)
from dangjian.talent import selectors, services
from dangjian.talent.models import (
    Innovation,
    InnovationKind,
    InnovationLevel,
    Platform,
    PlatformKind,
    PlatformLevel,
    Review,
    Talent,
    TalentCategory,
    TalentSource,
)
from dangjian.talent.tests import factories as f
from dangjian.testing.factories import make_enterprise, make_user

pytestmark = pytest.mark.django_db
D = datetime.date

FORMATS = ["xlsx", "csv-bom", "csv-gb18030"]
X_ID = "11010519491231002X"
# the same number as people type it: full-width digits, a lower-case x, spaces
X_ID_TYPED = "１１０１０５ １９４９１２３１ ００２x"
ID_A = make_id_number(D(1990, 5, 6), 11, "男")
ID_B = make_id_number(D(1995, 3, 4), 12, "女")
MASKED_A = "*" * 14 + ID_A[-4:]

TALENTS = [
    "姓名*",
    "身份证号",
    "人才类别（必填）",
    "来源",
    "\u3000入库日期*\u3000",
    "出库日期",
    "工作单位",
    "学历",
    "职称",
]
PLATFORMS = ["平台名称*", "平台类型（必填）", "级别*", "依托单位", "认定日期"]
INNOVATIONS = ["名称*", "类型*", "级别", "企业名称", "合作高校", "日期*"]


def talents(*rows, header=TALENTS, fmt="xlsx", **options):
    return import_rows("talents", [["2025年人才库台账"], [], header, *rows], fmt, **options)


def platforms(*rows, header=PLATFORMS, fmt="xlsx", **options):
    return import_rows("platforms", [["创新平台台账"], header, *rows], fmt, **options)


def innovations(*rows, header=INNOVATIONS, fmt="xlsx", **options):
    return import_rows("innovations", [["科技成果台账（2025年）"], header, *rows], fmt, **options)


def talent_row(name="张三", id_number=None, category="青年英才", source="引进", intake="2025-03-01", **more):
    return [
        name,
        id_number,
        category,
        source,
        intake,
        more.get("exit"),
        more.get("employer", "甲企业"),
        more.get("education"),
        more.get("title"),
    ]


def pool():
    return sorted(
        (t.name, t.id_number, t.employer, t.enterprise.name if t.enterprise_id else None)
        for t in Talent.objects.all()
    )


def office(zone):
    return make_user("talent_staff", organization=zone.root)


# -- 人才库 ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_messy_talent_file_creates_the_zones_confirmed_talents(zone, fmt):
    staff = office(zone)
    report = talents(
        talent_row(
            "张三", X_ID_TYPED, "产业领军人才", "引进", "2023年7月1日", education="博士", title="教授级高工"
        ),
        talent_row("李四", None, "紧缺高层次人才", "培养", "2023/7/1", employer="乙企业"),
        talent_row("王五", ID_A, "技能人才", "", "20230701", employer="商洛学院"),
        talent_row("赵六", "", "其他", None, "2023.07.01", exit="2024-12-31", employer=""),
        header=[*TALENTS, "备注说明"],
        fmt=fmt,
        actor=staff,
    )

    assert report.ok, report.errors
    assert report.header_row == 3
    assert report.unknown_columns == ["备注说明"]
    assert (report.created, report.updated, report.unchanged) == (4, 0, 0)
    assert pool() == [
        ("张三", X_ID, "甲企业", "甲企业"),
        ("李四", "", "乙企业", "乙企业"),
        ("王五", ID_A, "商洛学院", None),
        ("赵六", "", "", None),
    ]
    zhang = Talent.objects.get(name="张三")
    assert (zhang.category, zhang.source, zhang.intake_on) == (
        TalentCategory.LEADING,
        TalentSource.INTRODUCED,
        D(2023, 7, 1),
    )
    assert (zhang.education, zhang.title) == ("博士", "教授级高工")
    assert Talent.objects.get(name="赵六").exit_on == D(2024, 12, 31)
    # imported by the talent office: the zone's own records, confirmed and counted
    assert set(Talent.objects.values_list("review", flat=True)) == {Review.CONFIRMED}


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2023-07-01", D(2023, 7, 1)),
        ("2023/7/1", D(2023, 7, 1)),
        ("2023.07.01", D(2023, 7, 1)),
        ("2023年7月1日", D(2023, 7, 1)),
        ("20230701", D(2023, 7, 1)),
        ("２０２３年７月１日", D(2023, 7, 1)),
        ("２０２３－０７－０１", D(2023, 7, 1)),
        (D(2023, 1, 1), D(2023, 1, 1)),
        (datetime.datetime(2023, 12, 31, 0, 0), D(2023, 12, 31)),
        (Formatted(D(2023, 7, 1), 'yyyy"年"m"月"d"日"'), D(2023, 7, 1)),
        (45108, D(2023, 7, 1)),  # an Excel serial day number
    ],
)
def test_the_intake_date_is_understood_however_written(zone, written, day):
    report = talents(talent_row(intake=written))
    assert report.ok, report.errors
    assert Talent.objects.get().intake_on == day


def test_a_month_only_intake_date_is_an_error(zone):
    report = talents(talent_row(intake="2023年7月"))
    assert error_briefs(report) == ["第 4 行 入库日期：“2023年7月”只到月份，此列需要填写具体日期"]
    assert not Talent.objects.exists()


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (talent_row(name=""), "第 4 行 姓名：必填，不能为空"),
        (talent_row(intake=None), "第 4 行 入库日期：必填，不能为空"),
        (
            talent_row(category="高端人才"),
            "第 4 行 人才类别：“高端人才”不是可选值（产业领军人才、紧缺高层次人才、青年英才、技能人才、其他）",
        ),
        (talent_row(source="外聘"), "第 4 行 来源：“外聘”不是可选值（引进、培养）"),
        (talent_row(id_number=X_ID[:17] + "1"), "第 4 行 身份证号：校验位错误（不符合 GB 11643）"),
        (talent_row(id_number=X_ID[:16]), "第 4 行 身份证号：应为 18 位，实际为 16 位"),
        (talent_row(intake="2023-02-30"), "第 4 行 入库日期：日期不存在（2023年2月30日）"),
        (
            talent_row(intake="2025-03-01", exit="2025-02-28"),
            "第 4 行 出库日期：出库日期不能早于入库日期",
        ),
    ],
)
def test_a_bad_talent_row_is_an_error_naming_row_and_column(zone, row, error):
    report = talents(row)
    assert error_briefs(report) == [error]
    assert not Talent.objects.exists()


def test_leaving_on_the_day_of_intake_is_accepted_and_the_pool_counts_to_the_day_before_exit(zone):
    report = talents(
        talent_row("张三", intake="2025-01-01", exit="2025-12-31"),
        talent_row("李四", intake="2025-06-01", exit="2025-06-01"),
        talent_row("王五", intake="2025-12-31"),
    )
    assert report.ok, report.errors

    def in_pool(day):
        return sorted(selectors.in_pool_on(Talent.objects.all(), day).values_list("name", flat=True))

    assert in_pool(D(2024, 12, 31)) == []
    assert in_pool(D(2025, 1, 1)) == ["张三"]
    assert in_pool(D(2025, 6, 1)) == ["张三"]  # 李四 left on the day they came
    assert in_pool(D(2025, 12, 30)) == ["张三"]
    assert in_pool(D(2025, 12, 31)) == ["王五"]  # 张三 is out from the day of the exit


def test_a_missing_required_column_rejects_the_file_before_any_row(zone):
    header = ["姓名", "身份证号", "入库日期"]
    report = talents(["张三", ID_A, "2025-03-01"], header=header)
    assert report.errors == ["文件：缺少必填列 人才类别"]
    assert not Talent.objects.exists()


def test_a_known_id_number_however_written_updates_that_talent(zone):
    f.talent("张三", id_number=X_ID, employer="甲企业", intake_on=D(2024, 1, 1))
    report = talents(talent_row("张三", X_ID_TYPED, "产业领军人才", intake="2024-01-01", employer="乙企业"))
    assert (report.created, report.updated) == (0, 1), report.errors
    assert report.rows[0].changes == [
        Change("人才类别", "青年英才", "产业领军人才"),
        Change("来源", "", "引进"),
        Change("工作单位", "甲企业", "乙企业"),
    ]
    talent = Talent.objects.get()
    # the new 工作单位 names another enterprise of the zone: the talent follows it
    assert (talent.employer, talent.enterprise) == ("乙企业", zone.enterprise_b)
    talents(talent_row("张三", X_ID, "产业领军人才", intake="2024-01-01", employer="商洛学院"))
    talent.refresh_from_db()
    assert (talent.employer, talent.enterprise) == ("商洛学院", None)


def test_a_talent_without_an_id_number_is_matched_by_name_and_employer(zone):
    f.talent("李四", employer="甲企业", intake_on=D(2024, 1, 1))
    report = talents(
        talent_row("李四", intake="2024-01-01", title="工程师"),  # 甲企业's 李四: updated
        talent_row("李四", intake="2024-01-01", employer="乙企业"),  # another 李四
    )
    assert (report.created, report.updated) == (1, 1), report.errors
    assert sorted(Talent.objects.values_list("employer", "title")) == [("乙企业", ""), ("甲企业", "工程师")]


def test_an_id_number_given_later_is_added_to_the_talent_recorded_without_one(zone):
    talent = f.talent("李四", employer="甲企业", intake_on=D(2024, 1, 1))
    report = talents(talent_row("李四", ID_A, intake="2024-01-01"))
    assert (report.created, report.updated) == (0, 1), report.errors
    assert report.rows[0].changes[0] == Change("公民身份号码", "", MASKED_A)
    talent.refresh_from_db()
    assert talent.id_number == ID_A and Talent.objects.count() == 1
    # an empty ID cell later does not remove the number
    assert talents(talent_row("李四", "", intake="2024-01-01", source="引进")).unchanged == 1


def test_a_row_without_an_id_number_finds_the_one_talent_of_that_name_and_employer(zone):
    f.talent("李四", id_number=ID_A, employer="甲企业", intake_on=D(2025, 3, 1))
    report = talents(talent_row("李四", None, intake="2025-03-01", title="工程师"))
    assert (report.created, report.updated) == (0, 1), report.errors
    talent = Talent.objects.get()
    assert (talent.id_number, talent.title) == (ID_A, "工程师")  # the number stays


def test_a_row_without_an_id_number_for_two_such_talents_is_a_row_error(zone):
    f.talent("李四", id_number=ID_A, employer="甲企业")
    f.talent("李四", id_number=ID_B, employer="甲企业")
    report = talents(talent_row("李四", None, intake="2025-03-01"))
    assert error_briefs(report) == [
        "第 4 行 身份证号：人才库已有甲企业的“李四”（已登记公民身份号码），是同一人请填写其公民身份号码"
    ]
    assert Talent.objects.count() == 2


def test_an_id_number_held_by_another_talent_is_refused(zone):
    report = talents(talent_row("张三", ID_A), talent_row("李四", ID_A, employer="乙企业"))
    assert error_briefs(report) == ["第 5 行 姓名：与第 4 行重复，但内容不同"]
    assert not Talent.objects.exists()


def test_duplicate_rows_in_one_file_count_once(zone):
    report = talents(
        talent_row("张三", ID_A), talent_row("张三", ID_A), talent_row("李四"), talent_row("李四")
    )
    assert report.ok, report.errors
    assert (report.created, report.unchanged) == (2, 2)
    assert [r.note for r in report.unchanged_rows] == ["与第 4 行相同", "与第 6 行相同"]
    assert Talent.objects.count() == 2


def test_a_row_error_among_good_rows_changes_nothing_and_every_error_is_listed(zone):
    before = record_changes()
    report = talents(
        talent_row("张三", ID_A),
        talent_row("李四", intake="去年"),
        talent_row("王五", category="领军"),
        talent_row("赵六"),
    )
    assert error_briefs(report) == [
        "第 5 行 入库日期：“去年”不是可识别的日期（如 2023-07-01、2023年7月1日）",
        "第 6 行 人才类别：“领军”不是可选值（产业领军人才、紧缺高层次人才、青年英才、技能人才、其他）",
    ]
    assert report.summary() == "人才库：发现 2 个错误，未导入任何数据"
    assert not Talent.objects.exists() and record_changes() == before


def test_the_dry_run_counts_and_writes_nothing(zone):
    f.talent(
        "张三", id_number=ID_A, employer="甲企业", intake_on=D(2025, 3, 1), source=TalentSource.INTRODUCED
    )
    f.talent("李四", employer="甲企业", intake_on=D(2025, 3, 1), source=TalentSource.INTRODUCED)
    before = record_changes()
    report = talents(
        talent_row("张三", ID_A, title="研究员"),
        talent_row("李四"),
        talent_row("王五"),
        dry_run=True,
    )
    assert (report.created, report.updated, report.unchanged) == (1, 1, 1), report.errors
    assert report.summary() == "人才库：将新增 1 条，将更新 1 条，未变化 1 条（试导入，未写入）"
    assert Talent.objects.count() == 2 and record_changes() == before
    assert Talent.objects.get(name="张三").title == ""


@pytest.mark.parametrize("fmt", FORMATS)
def test_reimporting_the_same_talent_file_changes_nothing(zone, fmt):
    rows = [
        talent_row("张三", X_ID_TYPED, exit="2025-12-31"),
        talent_row("李四", None, employer="乙企业", education="硕士"),
    ]
    assert talents(*rows, fmt=fmt).created == 2
    before = record_changes()
    again = talents(*rows, fmt=fmt)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2), again.errors
    assert record_changes() == before


def _talents(zone):
    f.talent(
        "张三",
        id_number=X_ID,
        employer="甲企业",
        category=TalentCategory.LEADING,
        source=TalentSource.INTRODUCED,
        intake_on=D(2023, 1, 1),
        education="博士",
        title="=教授",
    )
    f.talent("李四", employer="乙企业", intake_on=D(2024, 12, 31), exit_on=D(2025, 12, 31))
    f.talent("王五", id_number=ID_B, employer="商洛学院", intake_on=D(2025, 6, 1))
    contact = make_user("enterprise_contact", enterprise=zone.enterprise_a)
    f.talent("赵六", actor=contact, enterprise=zone.enterprise_a)  # a submission, not yet confirmed


def test_the_talent_export_writes_the_ledger_words_and_leaves_out_unconfirmed_submissions(zone):
    _talents(zone)
    assert export_rows("talents") == [
        ["姓名", "公民身份号码", "人才类别", "来源", "入库日期", "出库日期", "工作单位", "学历", "职称"],
        [
            "张三",
            X_ID,
            "产业领军人才",
            "引进",
            datetime.datetime(2023, 1, 1),
            None,
            "甲企业",
            "博士",
            "=教授",
        ],
        [
            "李四",
            None,
            "青年英才",
            None,
            datetime.datetime(2024, 12, 31),
            datetime.datetime(2025, 12, 31),
            "乙企业",
            None,
            None,
        ],
        ["王五", ID_B, "青年英才", None, datetime.datetime(2025, 6, 1), None, "商洛学院", None, None],
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_talent_export_imports_back_unchanged(zone, fmt):
    _talents(zone)
    assert_round_trip("talents", fmt=fmt)


def test_a_talent_submitted_by_an_enterprise_is_not_settled_by_a_file(zone):
    contact = make_user("enterprise_contact", enterprise=zone.enterprise_a)
    submitted = f.talent("赵六", actor=contact, enterprise=zone.enterprise_a, intake_on=D(2025, 3, 1))
    report = talents(talent_row("赵六", intake="2025-03-01", title="高级技师"))
    assert error_briefs(report) == [
        "第 4 行 姓名：该人才是企业提交、待确认的记录，请先在人才页面确认或退回，再导入"
    ]
    services.submission_return(actor=office(zone), record=submitted, reason="请补充证书")
    report = talents(talent_row("赵六", intake="2025-03-01", title="高级技师"))
    assert error_briefs(report) == [
        "第 4 行 姓名：该人才是企业提交后被退回的记录，台账不能更新；请由企业修改后重新提交"
    ]
    submitted.refresh_from_db()
    assert submitted.title == "" and submitted.review == Review.RETURNED


# -- ID numbers in the export: masked unless revealed -----------------------------------------------
def test_the_full_talent_export_needs_a_confirmation_and_is_logged_as_a_reveal(zone):
    _talents(zone)
    staff = office(zone)
    with pytest.raises(RevealNotConfirmed, match="含完整的公民身份号码（个人敏感信息），须确认后才能导出"):
        export_ledger("talents", user=staff)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.REVEAL).exists()
    rows = read_export(export_ledger("talents", user=staff, fmt="csv", reveal_confirmed=True), "csv")
    assert [r[1] for r in rows[1:]] == [X_ID, "", ID_B]
    reveal = AuditEntry.objects.filter(action=AuditEntry.Action.REVEAL).get()
    assert reveal.actor == staff and reveal.content_type.model_class() is Talent
    assert reveal.message == "查看完整公民身份号码：导出人才库 3 条（导出前已确认）"


def test_the_masked_talent_export_writes_no_full_id_number_and_reveals_nothing(zone):
    _talents(zone)
    data = export_ledger("talents", user=office(zone), masked=True)
    rows = read_export(data)
    assert [r[1] for r in rows[1:]] == ["*" * 14 + X_ID[-4:], None, "*" * 14 + ID_B[-4:]]
    assert X_ID.encode() not in data and ID_B.encode() not in data
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.REVEAL).exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count() == 1


def test_an_enterprise_contact_exports_only_their_talents_masked_and_imports_none(zone):
    _talents(zone)
    contact = make_user("enterprise_contact", enterprise=zone.enterprise_a)
    rows = read_export(export_ledger("talents", user=contact, masked=True))
    assert [r[:2] for r in rows[1:]] == [["张三", "*" * 14 + X_ID[-4:]]]
    with pytest.raises(PermissionDenied, match="需要查看个人敏感信息的权限"):
        export_ledger("talents", user=contact, reveal_confirmed=True)
    with pytest.raises(PermissionDenied, match="您没有导入人才库的权限"):
        talents(talent_row("钱七"), actor=contact)
    assert not Talent.objects.filter(name="钱七").exists()


def test_a_talent_office_on_part_of_the_zone_imports_only_talents_of_its_enterprises(zone):
    staff = make_user("talent_staff", organization=zone.committee_a)
    report = talents(
        talent_row("张三"),
        talent_row("李四", employer="乙企业"),
        talent_row("王五", employer="商洛学院"),  # no enterprise: the zone's root only
        actor=staff,
    )
    assert error_briefs(report) == [
        "第 5 行 整行：超出您的数据授权范围，操作未执行",
        "第 6 行 整行：超出您的数据授权范围，操作未执行",
    ]
    assert not Talent.objects.exists()
    assert talents(talent_row("张三"), actor=staff).created == 1
    f.talent("李四", employer="乙企业")
    assert [r[0] for r in export_rows("talents", user=staff)[1:]] == ["张三"]
    # changing a talent outside the scope is a row error too
    report = talents(talent_row("李四", employer="乙企业", title="工程师"), actor=staff)
    assert error_briefs(report) == ["第 4 行 整行：超出您的数据授权范围，操作未执行"]


# -- 创新平台 ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_messy_platform_file_creates_the_platforms(zone, fmt):
    report = platforms(
        ["甲企业省级企业技术中心", "研发平台", "省级", "甲企业", "2019.07"],
        ["商洛高新区科技企业孵化器", "孵化器", "省级", "商洛高新区管委会", "2020年3月"],
        ["秦岭众创空间", "众创空间", "国家级", "", "2021-05-20"],
        ["商洛文化科技融合基地", "文化和科技融合示范基地", "市级", None, None],
        header=[*PLATFORMS, "联系人"],
        fmt=fmt,
        actor=office(zone),
    )
    assert report.ok, report.errors
    assert report.header_row == 2 and report.unknown_columns == ["联系人"]
    assert report.created == 4
    rows = sorted(
        Platform.objects.values_list(
            "name", "kind", "level", "host", "enterprise__name", "recognised_on", "recognised_month_only"
        )
    )
    assert rows == [
        ("商洛文化科技融合基地", PlatformKind.CULTURE_TECH, PlatformLevel.MUNICIPAL, "", None, None, False),
        (
            "商洛高新区科技企业孵化器",
            PlatformKind.INCUBATOR,
            PlatformLevel.PROVINCIAL,
            "商洛高新区管委会",
            None,
            D(2020, 3, 1),
            True,
        ),
        (
            "甲企业省级企业技术中心",
            PlatformKind.RESEARCH,
            PlatformLevel.PROVINCIAL,
            "甲企业",
            "甲企业",
            D(2019, 7, 1),
            True,
        ),
        ("秦岭众创空间", PlatformKind.MAKERSPACE, PlatformLevel.NATIONAL, "", None, D(2021, 5, 20), False),
    ]


@pytest.mark.parametrize(
    ("written", "day", "month_only"),
    [
        ("2023-07-01", D(2023, 7, 1), False),
        ("2023/7/1", D(2023, 7, 1), False),
        ("2023.07.01", D(2023, 7, 1), False),
        ("2023年7月1日", D(2023, 7, 1), False),
        ("20230701", D(2023, 7, 1), False),
        ("２０２３．０７．０１", D(2023, 7, 1), False),
        (datetime.datetime(2023, 12, 31), D(2023, 12, 31), False),
        (D(2023, 1, 1), D(2023, 1, 1), False),
        (45108, D(2023, 7, 1), False),
        ("2019.07", D(2019, 7, 1), True),
        ("2019年7月", D(2019, 7, 1), True),
        ("２０１９年７月", D(2019, 7, 1), True),
        ("2019-07", D(2019, 7, 1), True),
        ("201907", D(2019, 7, 1), True),
    ],
)
def test_the_recognition_date_is_understood_however_written_and_may_give_only_the_month(
    zone, written, day, month_only
):
    report = platforms(["秦岭众创空间", "众创空间", "省级", "", written])
    assert report.ok, report.errors
    platform = Platform.objects.get()
    assert (platform.recognised_on, platform.recognised_month_only) == (day, month_only)


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (
            ["甲平台", "研究院", "省级", "", ""],
            "第 3 行 平台类型：“研究院”不是可选值（研发平台、孵化器、众创空间、创业孵化基地、"
            "文化和科技融合示范基地、人才创新创业基地、大学科技园、创新促进中心）",
        ),
        (["甲平台", "研发平台", "区级", "", ""], "第 3 行 级别：“区级”不是可选值（国家级、省级、市级）"),
        (["甲平台", "研发平台", "", "", ""], "第 3 行 级别：必填，不能为空"),
        (["甲平台", "研发平台", "省级", "", "2019年13月"], "第 3 行 认定日期：月份 13 不存在"),
    ],
)
def test_a_bad_platform_row_is_an_error_naming_row_and_column(zone, row, error):
    report = platforms(row)
    assert error_briefs(report) == [error]
    assert not Platform.objects.exists()


def test_a_platform_is_matched_by_name_and_its_host_relinks(zone):
    f.platform("甲企业省级企业技术中心", host="甲企业")
    report = platforms(["甲企业省级企业技术中心", "研发平台", "国家级", "乙企业", "2019.07"])
    assert (report.created, report.updated) == (0, 1), report.errors
    assert report.rows[0].changes == [
        Change("级别", "省级", "国家级"),
        Change("依托单位", "甲企业", "乙企业"),
        Change("认定日期", "", "2019.07"),
    ]
    platform = Platform.objects.get()
    assert (platform.level, platform.enterprise) == (PlatformLevel.NATIONAL, zone.enterprise_b)
    # a full date for the same month is a change: the day is now known
    report = platforms(["甲企业省级企业技术中心", "研发平台", "国家级", "乙企业", "2019-07-01"])
    assert report.updated == 1
    platform.refresh_from_db()
    assert (platform.recognised_on, platform.recognised_month_only) == (D(2019, 7, 1), False)


def test_duplicate_platform_rows_and_a_bad_row_among_good_ones(zone):
    report = platforms(
        ["甲平台", "研发平台", "省级", "", ""],
        ["甲平台", "研发平台", "省级", "", ""],
        ["乙平台", "孵化器", "市级", "", ""],
        ["乙平台", "孵化器", "省级", "", ""],
    )
    assert error_briefs(report) == ["第 6 行 平台名称：与第 5 行重复，但内容不同"]
    assert not Platform.objects.exists()
    report = platforms(["甲平台", "研发平台", "省级", "", ""], ["甲平台", "研发平台", "省级", "", ""])
    assert (report.created, report.unchanged) == (1, 1)


def test_a_platform_file_without_a_required_column_is_rejected(zone):
    report = platforms(["甲平台", "研发平台"], header=["平台名称", "平台类型"])
    assert report.errors == ["文件：缺少必填列 级别"]


def _platforms(zone):
    f.platform(
        "甲企业省级企业技术中心", host="甲企业", recognised_on=D(2019, 7, 1), recognised_month_only=True
    )
    f.platform(
        "秦岭众创空间",
        kind=PlatformKind.MAKERSPACE,
        level=PlatformLevel.NATIONAL,
        recognised_on=D(2021, 5, 20),
    )
    f.platform("商洛大学科技园", kind=PlatformKind.SCIENCE_PARK, host="商洛学院")
    gone = f.platform("旧孵化器", kind=PlatformKind.INCUBATOR, recognised_on=D(2015, 1, 1))
    services.platform_withdraw(actor=None, platform=gone, on=D(2024, 12, 31), reason="复核未通过")


def test_the_platform_export_writes_month_only_dates_as_months_and_leaves_out_withdrawn_ones(zone):
    _platforms(zone)
    assert export_rows("platforms") == [
        ["平台名称", "平台类型", "级别", "依托单位", "认定日期"],
        ["甲企业省级企业技术中心", "研发平台", "省级", "甲企业", "2019.07"],
        ["秦岭众创空间", "众创空间", "国家级", None, datetime.datetime(2021, 5, 20)],
        ["商洛大学科技园", "大学科技园", "省级", "商洛学院", None],
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_platform_export_imports_back_unchanged(zone, fmt):
    _platforms(zone)
    assert_round_trip("platforms", fmt=fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_reimporting_the_same_platform_file_changes_nothing(zone, fmt):
    rows = [
        ["甲企业省级企业技术中心", "研发平台", "省级", "甲企业", "2019年7月"],
        ["秦岭众创空间", "众创空间", "国家级", "", "20210520"],
    ]
    assert platforms(*rows, fmt=fmt).created == 2
    before = record_changes()
    again = platforms(*rows, fmt=fmt)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert record_changes() == before


def test_the_scope_of_platform_imports_and_exports(zone):
    staff = make_user("talent_staff", organization=zone.committee_a)
    report = platforms(
        ["甲平台", "研发平台", "省级", "甲企业", ""],
        ["乙平台", "研发平台", "省级", "乙企业", ""],
        actor=staff,
    )
    assert error_briefs(report) == ["第 4 行 整行：超出您的数据授权范围，操作未执行"]
    assert not Platform.objects.exists()
    _platforms(zone)
    assert [r[0] for r in export_rows("platforms", user=staff)[1:]] == ["甲企业省级企业技术中心"]
    contact = make_user("enterprise_contact", enterprise=zone.enterprise_a)
    assert [r[0] for r in export_rows("platforms", user=contact)[1:]] == ["甲企业省级企业技术中心"]
    with pytest.raises(PermissionDenied, match="您没有导入创新平台的权限"):
        platforms(["丙平台", "研发平台", "省级", "甲企业", ""], actor=contact)
    assert len(export_rows("platforms", user=office(zone))) == 4


# -- 科技成果 ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_messy_innovation_file_creates_the_innovations(zone, fmt):
    report = innovations(
        ["中药材深加工关键技术研究", "重点科技项目", "省级", "甲企业", "", "2025年3月1日"],
        ["一种中药提取工艺", "专利", "", "甲企业", None, "2025/6/1"],
        ["秦岭中药资源综合利用", "科技成果", "国家级", "乙企业", "", "20251231"],
        [
            "共建现代中药研发中心",
            "校地合作",
            "",
            "甲企业",
            "西北大学、西安交通大学，长安大学;陕西师范大学；西北工业大学\n商洛学院",
            "2025.01.01",
        ],
        ["共建新材料实验室", "校地合作", "其他", "", "西北大学,  西安交通大学", "２０２５－０９－１０"],
        header=["名称*", "类型*", "级别", "企业名称", "合作高校", "授权日期", "备注"],
        fmt=fmt,
        actor=office(zone),
    )
    assert report.ok, report.errors
    assert report.header_row == 2 and report.unknown_columns == ["备注"]
    assert report.created == 5
    made = {i.name: i for i in Innovation.objects.all()}
    project = made["中药材深加工关键技术研究"]
    assert (project.kind, project.level, project.enterprise, project.dated_on) == (
        InnovationKind.KEY_PROJECT,
        InnovationLevel.PROVINCIAL,
        zone.enterprise_a,
        D(2025, 3, 1),
    )
    patent = made["一种中药提取工艺"]
    assert (patent.kind, patent.level, patent.holder, patent.dated_on) == (
        InnovationKind.PATENT,
        "",
        "甲企业",
        D(2025, 6, 1),
    )
    assert made["秦岭中药资源综合利用"].dated_on == D(2025, 12, 31)
    cooperation = made["共建现代中药研发中心"]
    assert list(cooperation.universities.order_by("id").values_list("name", flat=True)) == [
        "西北大学",
        "西安交通大学",
        "长安大学",
        "陕西师范大学",
        "西北工业大学",
        "商洛学院",
    ]
    assert made["共建新材料实验室"].enterprise is None
    assert set(Innovation.objects.values_list("review", flat=True)) == {Review.CONFIRMED}
    # the universities count once across the cooperations
    assert len(selectors.universities_by(Innovation.objects.all(), D(2025, 12, 31))) == 6


@pytest.mark.parametrize("header", ["日期", "立项日期", "授权日期", "签约日期"])
def test_the_date_column_is_found_under_each_synonym(zone, header):
    report = innovations(
        ["一种中药提取工艺", "专利", "", "甲企业", "", "2025-06-01"],
        header=["名称", "类型", "级别", "企业名称", "合作高校", header],
    )
    assert report.ok, report.errors
    assert Innovation.objects.get().dated_on == D(2025, 6, 1)


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("2023-07-01", D(2023, 7, 1)),
        ("2023/7/1", D(2023, 7, 1)),
        ("2023.07.01", D(2023, 7, 1)),
        ("2023年7月1日", D(2023, 7, 1)),
        ("20230701", D(2023, 7, 1)),
        ("２０２３年７月１日", D(2023, 7, 1)),
        (D(2023, 1, 1), D(2023, 1, 1)),
        (datetime.datetime(2023, 12, 31), D(2023, 12, 31)),
        (45108, D(2023, 7, 1)),
    ],
)
def test_the_innovation_date_is_understood_however_written(zone, written, day):
    report = innovations(["一种中药提取工艺", "专利", "", "甲企业", "", written])
    assert report.ok, report.errors
    assert Innovation.objects.get().dated_on == day


@pytest.mark.parametrize(
    ("row", "error"),
    [
        (
            ["一种中药提取工艺", "专利", "", "丙企业", "", "2025-06-01"],
            "第 3 行 企业名称：找不到企业“丙企业”（请先导入企业名录）",
        ),
        (
            ["共建研发中心", "校地合作", "", "甲企业", "", "2025-06-01"],
            "第 3 行 合作高校：校地合作请填写合作高校",
        ),
        (
            ["一种中药提取工艺", "专利", "", "甲企业", "西北大学", "2025-06-01"],
            "第 3 行 合作高校：只有校地合作填写合作高校",
        ),
        (
            ["一种中药提取工艺", "发明专利", "", "甲企业", "", "2025-06-01"],
            "第 3 行 类型：“发明专利”不是可选值（重点科技项目、科技成果、专利、校地合作）",
        ),
        (
            ["一种中药提取工艺", "专利", "区级", "甲企业", "", "2025-06-01"],
            "第 3 行 级别：“区级”不是可选值（国家级、省级、市级、其他）",
        ),
        (["一种中药提取工艺", "专利", "", "甲企业", "", ""], "第 3 行 日期：必填，不能为空"),
        (
            ["一种中药提取工艺", "专利", "", "甲企业", "", "2025.06"],
            "第 3 行 日期：“2025.06”只到月份，此列需要填写具体日期",
        ),
    ],
)
def test_a_bad_innovation_row_is_an_error_naming_row_and_column(zone, row, error):
    report = innovations(row)
    assert error_briefs(report) == [error]
    assert not Innovation.objects.exists()


def test_a_cooperation_file_without_the_universities_column_is_a_row_error(zone):
    report = innovations(["共建研发中心", "校地合作", "2025-06-01"], header=["名称", "类型", "签约日期"])
    assert error_briefs(report) == ["第 3 行 合作高校：校地合作请填写合作高校"]


def test_an_enterprise_name_held_twice_is_a_row_error_and_links_no_talent(zone):
    make_enterprise("丙企业")
    make_enterprise("丙企业")
    report = innovations(["一种中药提取工艺", "专利", "", "丙企业", "", "2025-06-01"])
    assert error_briefs(report) == ["第 3 行 企业名称：名为“丙企业”的企业有多个，无法确定是哪一个"]
    assert talents(talent_row("张三", employer="丙企业")).created == 1
    assert Talent.objects.get().enterprise is None


def test_the_enterprise_cell_is_trimmed(zone):
    report = innovations(["一种中药提取工艺", "专利", "", "\u3000甲企业 ", "", "2025-06-01"])
    assert report.ok, report.errors
    assert Innovation.objects.get().enterprise == zone.enterprise_a


def test_an_innovation_is_matched_by_name_and_type(zone):
    f.innovation("一种中药提取工艺", kind=InnovationKind.PATENT, enterprise=zone.enterprise_a)
    report = innovations(
        ["一种中药提取工艺", "专利", "省级", "甲企业", "", "2025-06-01"],  # the patent: updated
        ["一种中药提取工艺", "科技成果", "省级", "甲企业", "", "2025-06-01"],  # another record
    )
    assert (report.created, report.updated) == (1, 1), report.errors
    assert report.rows[0].changes == [Change("级别", "", "省级")]
    assert Innovation.objects.count() == 2


def test_the_universities_of_a_cooperation_change_with_the_file_and_their_order_does_not_matter(zone):
    f.innovation("共建研发中心", kind=InnovationKind.COOPERATION, universities="西北大学、西安交通大学")
    before = record_changes()
    same = innovations(["共建研发中心", "校地合作", "", "", "西安交通大学，西北大学", "2025-06-01"])
    assert same.unchanged == 1, same.errors
    assert record_changes() == before
    changed = innovations(["共建研发中心", "校地合作", "", "", "西北大学、长安大学", "2025-06-01"])
    assert changed.updated == 1, changed.errors
    assert changed.rows[0].changes == [Change("合作高校", "西北大学、西安交通大学", "西北大学、长安大学")]
    innovation = Innovation.objects.get()
    assert set(innovation.universities.values_list("name", flat=True)) == {"长安大学", "西北大学"}


def test_an_innovation_submitted_by_an_enterprise_is_not_settled_by_a_file(zone):
    contact = make_user("enterprise_contact", enterprise=zone.enterprise_a)
    f.innovation("一种中药提取工艺", actor=contact, enterprise=zone.enterprise_a)
    report = innovations(["一种中药提取工艺", "专利", "", "甲企业", "", "2025-06-01"])
    assert error_briefs(report) == [
        "第 3 行 名称：该科技创新是企业提交、待确认的记录，请先在科技创新页面确认或退回，再导入"
    ]


def test_a_bad_innovation_row_among_good_ones_changes_nothing(zone):
    before = record_changes()
    report = innovations(
        ["中药材深加工关键技术研究", "重点科技项目", "省级", "甲企业", "", "2025-03-01"],
        ["共建研发中心", "校地合作", "", "甲企业", "", "2025-06-01"],
        ["一种中药提取工艺", "专利", "", "甲企业", "", "2025-06-01"],
    )
    assert error_briefs(report) == ["第 4 行 合作高校：校地合作请填写合作高校"]
    assert not Innovation.objects.exists() and record_changes() == before


def test_the_innovation_dry_run_counts_and_writes_nothing(zone):
    f.innovation("一种中药提取工艺", enterprise=zone.enterprise_a)
    report = innovations(
        ["一种中药提取工艺", "专利", "", "甲企业", "", "2025-06-01"],
        ["中药材深加工关键技术研究", "重点科技项目", "省级", "甲企业", "", "2025-03-01"],
        dry_run=True,
    )
    assert (report.created, report.updated, report.unchanged) == (1, 0, 1), report.errors
    assert Innovation.objects.count() == 1


def _innovations(zone):
    f.innovation(
        "中药材深加工关键技术研究",
        kind=InnovationKind.KEY_PROJECT,
        level=InnovationLevel.PROVINCIAL,
        enterprise=zone.enterprise_a,
        dated_on=D(2025, 1, 1),
    )
    f.innovation("一种中药提取工艺", enterprise=zone.enterprise_a, dated_on=D(2025, 12, 31))
    f.innovation(
        "秦岭中药资源综合利用",
        kind=InnovationKind.ACHIEVEMENT,
        level=InnovationLevel.NATIONAL,
        enterprise=zone.enterprise_b,
    )
    f.innovation(
        "共建现代中药研发中心",
        kind=InnovationKind.COOPERATION,
        universities="西北大学、西安交通大学",
        enterprise=zone.enterprise_b,
    )
    contact = make_user("enterprise_contact", enterprise=zone.enterprise_a)
    f.innovation("一种胶囊外观", actor=contact, enterprise=zone.enterprise_a)  # not yet confirmed


def test_the_innovation_export_writes_the_ledger_words(zone):
    _innovations(zone)
    assert export_rows("innovations") == [
        ["名称", "类型", "级别", "企业名称", "合作高校", "日期"],
        ["中药材深加工关键技术研究", "重点科技项目", "省级", "甲企业", None, datetime.datetime(2025, 1, 1)],
        ["秦岭中药资源综合利用", "科技成果", "国家级", "乙企业", None, datetime.datetime(2025, 6, 1)],
        ["一种中药提取工艺", "专利", None, "甲企业", None, datetime.datetime(2025, 12, 31)],
        [
            "共建现代中药研发中心",
            "校地合作",
            None,
            "乙企业",
            "西北大学、西安交通大学",
            datetime.datetime(2025, 6, 1),
        ],
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_innovation_export_imports_back_unchanged(zone, fmt):
    _innovations(zone)
    assert_round_trip("innovations", fmt=fmt)


def test_the_scope_of_innovation_imports_and_exports(zone):
    _innovations(zone)
    contact = make_user("enterprise_contact", enterprise=zone.enterprise_a)
    assert [r[0] for r in export_rows("innovations", user=contact)[1:]] == [
        "中药材深加工关键技术研究",
        "一种中药提取工艺",
    ]
    with pytest.raises(PermissionDenied, match="您没有导入科技成果的权限"):
        innovations(["一种新工艺", "专利", "", "甲企业", "", "2025-06-01"], actor=contact)
    staff = make_user("talent_staff", organization=zone.committee_a)
    report = innovations(
        ["一种新工艺", "专利", "", "甲企业", "", "2025-06-01"],
        ["另一种新工艺", "专利", "", "乙企业", "", "2025-06-01"],
        ["共建实验室", "校地合作", "", "", "西北大学", "2025-06-01"],
        actor=staff,
    )
    assert error_briefs(report) == [
        "第 4 行 整行：超出您的数据授权范围，操作未执行",
        "第 5 行 整行：超出您的数据授权范围，操作未执行",
    ]
    assert len(export_rows("innovations", user=office(zone))) == 5


# -- the three together ---------------------------------------------------------------------------
def test_the_three_ledgers_import_last_in_the_order_of_ledgers_md(zone_admin, client):
    assert IMPORT_ORDER[-4:] == ["investment_projects", "talents", "platforms", "innovations"]
    names = [lg.name for lg in ledgers()]
    order = [names.index(n) for n in ("investment_projects", "talents", "platforms", "innovations")]
    assert order == sorted(order)
    client.force_login(zone_admin)
    index = client.get("/admin/ledgers/").content.decode()
    for name in ("talents", "platforms", "innovations"):
        assert f'href="/admin/ledgers/{name}/template/"' in index
        page = client.get(f"/admin/ledgers/{name}/import/")
        assert page.status_code == 200
        assert english_words(page.content.decode()) == [], name
