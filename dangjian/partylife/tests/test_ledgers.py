"""组织生活 (meetings), 教育培训 (trainings), 活动 (activities) and 发文 (documents) ledgers —
LEDGERS.md: headers and synonyms, every rule, all or nothing, dry run, re-import, round trip."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from dangjian.core.ledgers import import_ledger
from dangjian.core.testing.ledgers import (
    assert_round_trip,
    error_briefs,
    export_rows,
    import_rows,
    record_changes,
)
from dangjian.organizations.models import OrgKind
from dangjian.partylife import services
from dangjian.partylife.models import (
    Activity,
    ActivityKind,
    Document,
    DocumentCategory,
    LecturerRole,
    Meeting,
    MeetingKind,
    Training,
    TrainingKind,
    VoteKind,
)
from dangjian.testing.factories import make_enterprise, make_member, make_org

pytestmark = pytest.mark.django_db

D = datetime.date
FORMATS = ["xlsx", "csv-bom", "csv-utf8", "csv-gb18030"]
MEETING_HEADER = [
    "党组织*",
    "会议类型*",
    "日期*",
    "主题*",
    "应到人数",
    "实到人数",
    "主持人",
    "讲课人",
    "讲课人身份",
]
TRAINING_HEADER = ["培训名称", "培训类型", "主办党组织", "开始日期", "结束日期", "参训人次", "学时"]
ACTIVITY_HEADER = ["活动名称", "活动类型", "党组织", "日期", "参与人数", "参与企业", "捐款金额（元）"]
DOCUMENT_HEADER = ["文号", "标题", "发文日期", "文件类别"]


def only_error(report):
    assert not report.ok
    assert len(report.errors) == 1, report.errors
    return report.errors[0].brief


def ok(report):
    assert report.ok, report.errors
    return report


def counts(report):
    return (report.created, report.updated, report.unchanged)


def meeting_row(org="甲一党支部", kind="支部党员大会", day="2025-03-15", theme="第一季度党员大会", **more):
    values = {"应到人数": "", "实到人数": "", "主持人": "", "讲课人": "", "讲课人身份": ""} | more
    return [org, kind, day, theme, *values.values()]


def training_row(
    name="党务干部培训班", kind="专题培训班", host="", start="2025-05-10", end="", count="40", hours=""
):
    return [name, kind, host, start, end, count, hours]


def activity_row(
    name="社区义诊", kind="公益活动", org="", day="2025-06-01", people="", enterprises="", money=""
):
    return [name, kind, org, day, people, enterprises, money]


def document_row(
    number="商高党工委发〔2025〕1号", title="关于加强非公企业党建工作的意见", day="2025-02-01", category=""
):
    return [number, title, day, category]


# == meetings ==================================================================================
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_meeting_ledger_imports_every_column(zone, fmt):
    rows = [
        ["2025年组织生活台账"],
        [],
        MEETING_HEADER,
        meeting_row(应到人数="12", 实到人数="10", 主持人="张书记"),
        meeting_row(
            "乙企业党支部",
            "党课",
            "2025年4月8日",
            "学习新党章",
            应到人数="8",
            实到人数="8",
            讲课人="李局长",
            讲课人身份="县局领导",
        ),
    ]
    report = ok(import_rows("meetings", rows, fmt))
    assert (report.header_row, counts(report)) == (3, (2, 0, 0))
    general = Meeting.objects.get(kind=MeetingKind.BRANCH_GENERAL)
    assert (general.organization, general.held_on, general.theme) == (
        zone.branch_a1,
        D(2025, 3, 15),
        "第一季度党员大会",
    )
    assert (general.expected_count, general.present_count, general.host) == (12, 10, "张书记")
    assert general.attendance_recorded is False
    assert general.org_path == zone.branch_a1.path
    lecture = Meeting.objects.get(kind=MeetingKind.LECTURE)
    assert (lecture.organization, lecture.held_on) == (zone.branch_b, D(2025, 4, 8))
    assert (lecture.lecturer, lecture.lecturer_role) == ("李局长", LecturerRole.COUNTY_LEADER)


def test_meeting_headers_are_recognised_by_their_synonyms(zone):
    rows = [
        ["组织名称", "类型", "开展日期", "会议主题", "授课人"],
        ["甲一党支部", "党课", "2025-03-01", "党课一", "王书记"],
    ]
    ok(import_rows("meetings", rows))
    assert Meeting.objects.get().lecturer == "王书记"
    rows[0][2] = "会议日期"
    assert counts(ok(import_rows("meetings", rows))) == (0, 0, 1)


@pytest.mark.parametrize("label", [label for _, label in MeetingKind.choices])
def test_every_meeting_type_is_accepted(zone, label):
    ok(import_rows("meetings", [MEETING_HEADER, meeting_row(kind=label)]))
    assert Meeting.objects.get().get_kind_display() == label


def test_an_unknown_meeting_type_is_a_row_error(zone):
    error = only_error(import_rows("meetings", [MEETING_HEADER, meeting_row(kind="座谈会")]))
    assert error.startswith("第 2 行 会议类型：“座谈会”不是可选值（支部党员大会、支委会、党小组会、党课")


@pytest.mark.parametrize("role", ["县局领导", "党组织书记", "其他"])
def test_every_lecturer_role_is_accepted(zone, role):
    ok(import_rows("meetings", [MEETING_HEADER, meeting_row(kind="党课", 讲课人="某人", 讲课人身份=role)]))
    assert Meeting.objects.get().get_lecturer_role_display() == role


def test_an_unknown_lecturer_role_is_a_row_error(zone):
    error = only_error(import_rows("meetings", [MEETING_HEADER, meeting_row(kind="党课", 讲课人身份="教授")]))
    assert error == "第 2 行 讲课人身份：“教授”不是可选值（县局领导、党组织书记、其他）"


def test_a_missing_required_meeting_column_rejects_the_file(zone):
    report = import_rows("meetings", [MEETING_HEADER[:3], meeting_row()[:3]])
    assert error_briefs(report) == ["文件：缺少必填列 主题"]
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(("column", "index"), [("党组织", 0), ("会议类型", 1), ("日期", 2), ("主题", 3)])
def test_an_empty_required_meeting_cell_is_a_row_error(zone, column, index):
    row = meeting_row()
    row[index] = ""
    assert only_error(import_rows("meetings", [MEETING_HEADER, row])) == f"第 2 行 {column}：必填，不能为空"


@pytest.mark.parametrize("written", ["2025-03-15", "2025/3/15", "2025.03.15", "2025年3月15日", "20250315"])
def test_meeting_dates_are_read_however_written(zone, written):
    ok(import_rows("meetings", [MEETING_HEADER, meeting_row(day=written)]))
    assert Meeting.objects.get().held_on == D(2025, 3, 15)


def test_a_meeting_date_as_an_excel_date_cell_is_read(zone):
    ok(import_rows("meetings", [MEETING_HEADER, meeting_row(day=datetime.datetime(2025, 3, 15))]))
    assert Meeting.objects.get().held_on == D(2025, 3, 15)


def test_a_month_only_meeting_date_is_a_row_error(zone):
    error = only_error(import_rows("meetings", [MEETING_HEADER, meeting_row(day="2025年3月")]))
    assert error == "第 2 行 日期：“2025年3月”只到月份，此列需要填写具体日期"


def test_more_present_than_expected_is_a_row_error(zone):
    error = only_error(import_rows("meetings", [MEETING_HEADER, meeting_row(应到人数="10", 实到人数="11")]))
    assert error == "第 2 行 实到人数：实到人数（11）不能多于应到人数（10）"
    assert not Meeting.objects.exists()


def test_as_many_present_as_expected_is_accepted(zone):
    ok(import_rows("meetings", [MEETING_HEADER, meeting_row(应到人数="10", 实到人数="10")]))
    assert Meeting.objects.get().present_count == 10


@pytest.mark.parametrize(
    ("written", "reason"), [("10.5", "“10.5”应为整数"), ("-1", "不能小于 0"), ("十人", "“十人”不是数字")]
)
def test_a_head_count_that_is_not_a_whole_number_is_a_row_error(zone, written, reason):
    error = only_error(import_rows("meetings", [MEETING_HEADER, meeting_row(应到人数=written)]))
    assert error == f"第 2 行 应到人数：{reason}"


def test_head_counts_accept_full_width_digits_and_spaces(zone):
    ok(import_rows("meetings", [MEETING_HEADER, meeting_row(应到人数=" １２ ", 实到人数="９")]))
    assert (Meeting.objects.get().expected_count, Meeting.objects.get().present_count) == (12, 9)


def test_an_unknown_organization_is_a_row_error(zone):
    error = only_error(import_rows("meetings", [MEETING_HEADER, meeting_row(org="丙企业党支部")]))
    assert error == "第 2 行 党组织：找不到党组织“丙企业党支部”"


def test_an_organization_name_shared_by_two_organizations_is_a_row_error(zone):
    make_org("第一党小组", OrgKind.PARTY_GROUP, zone.branch_a2)
    make_org("第一党小组", OrgKind.PARTY_GROUP, zone.branch_b)
    error = only_error(
        import_rows("meetings", [MEETING_HEADER, meeting_row(org="第一党小组", kind="党小组会")])
    )
    assert error == "第 2 行 党组织：名为“第一党小组”的党组织有多个，无法确定是哪一个"


def test_a_bad_meeting_row_among_good_ones_imports_nothing_and_lists_every_error(zone):
    rows = [
        MEETING_HEADER,
        meeting_row(theme="一"),
        meeting_row(theme="二", org="丙企业党支部"),
        meeting_row(theme="三"),
        meeting_row(theme="四", 应到人数="3", 实到人数="5"),
    ]
    before = record_changes()
    report = import_rows("meetings", rows)
    assert error_briefs(report) == [
        "第 3 行 党组织：找不到党组织“丙企业党支部”",
        "第 5 行 实到人数：实到人数（5）不能多于应到人数（3）",
    ]
    assert not Meeting.objects.exists()
    assert record_changes() == before


def test_a_meeting_dry_run_reports_and_writes_nothing(zone):
    rows = [MEETING_HEADER, meeting_row(theme="一"), meeting_row(theme="二")]
    report = ok(import_rows("meetings", rows, dry_run=True))
    assert counts(report) == (2, 0, 0)
    assert "试导入" in report.summary()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("fmt", ["xlsx", "csv-bom"])
def test_reimporting_the_same_meetings_changes_nothing(zone, fmt):
    rows = [
        MEETING_HEADER,
        meeting_row(应到人数="12", 实到人数="10"),
        meeting_row(kind="党课", theme="党课", 讲课人="王", 讲课人身份="党组织书记"),
    ]
    ok(import_rows("meetings", rows, fmt))
    before = record_changes()
    assert counts(ok(import_rows("meetings", rows, fmt))) == (0, 0, 2)
    assert record_changes() == before
    assert Meeting.objects.count() == 2


def test_a_changed_meeting_row_updates_the_meeting_with_the_same_key(zone):
    ok(import_rows("meetings", [MEETING_HEADER, meeting_row(主持人="张")]))
    report = ok(
        import_rows("meetings", [MEETING_HEADER, meeting_row(主持人="李", 应到人数="9", 实到人数="7")])
    )
    assert counts(report) == (0, 1, 0)
    stored = Meeting.objects.get()
    assert (stored.host, stored.expected_count, stored.present_count) == ("李", 9, 7)


def test_a_meeting_with_another_theme_on_the_same_day_is_another_meeting(zone):
    ok(import_rows("meetings", [MEETING_HEADER, meeting_row(theme="上午"), meeting_row(theme="下午")]))
    assert Meeting.objects.count() == 2


def test_the_same_meeting_twice_in_a_file_with_different_numbers_is_a_row_error(zone):
    rows = [MEETING_HEADER, meeting_row(应到人数="9"), meeting_row(应到人数="10")]
    assert only_error(import_rows("meetings", rows)) == "第 3 行 党组织：与第 2 行重复，但内容不同"


def test_an_import_keeps_the_validity_of_a_resolution_up_to_date(zone):
    record = services.meeting_create(
        actor=None,
        organization=zone.branch_a1,
        kind=MeetingKind.BRANCH_GENERAL,
        held_on=D(2025, 3, 15),
        theme="第一季度党员大会",
        vote_kind=VoteKind.VOTE,
        expected_count=10,
        present_count=6,
    )
    ok(import_rows("meetings", [MEETING_HEADER, meeting_row(应到人数="10", 实到人数="5")]))
    stored = Meeting.objects.get(pk=record.pk)
    assert (stored.present_count, stored.resolution_valid) == (5, False)
    assert stored.resolution_invalid_reason == "实到 5 人，未超过应到 10 人的半数，表决无效"


def counted_meeting(zone, present=3, absent=1):
    """A meeting whose attendance is recorded per member: 应到 present + absent, 实到 present."""
    members = [make_member(zone.branch_a1) for _ in range(present + absent)]
    return services.meeting_create(
        actor=None,
        organization=zone.branch_a1,
        kind=MeetingKind.BRANCH_GENERAL,
        held_on=D(2025, 3, 15),
        theme="第一季度党员大会",
        attendance=[{"member": m, "present": True} for m in members[:present]]
        + [{"member": m, "present": False, "absence_reason": "病假"} for m in members[present:]],
    )


def test_an_import_cannot_overwrite_numbers_counted_from_attendance(zone):
    record = counted_meeting(zone)
    report = import_rows("meetings", [MEETING_HEADER, meeting_row(应到人数="30", 实到人数="3")])
    assert error_briefs(report) == [
        "第 2 行 应到人数：该会议已逐人登记出席，应到人数由出席记录计算为 4，不能改为 30"
    ]
    stored = Meeting.objects.get(pk=record.pk)
    assert (stored.expected_count, stored.present_count) == (4, 3)


def test_an_import_with_the_counted_numbers_or_empty_cells_leaves_an_attended_meeting_unchanged(zone):
    record = counted_meeting(zone)
    same = ok(import_rows("meetings", [MEETING_HEADER, meeting_row(应到人数="4", 实到人数="3")]))
    empty = ok(import_rows("meetings", [MEETING_HEADER, meeting_row()]))
    assert counts(same) == counts(empty) == (0, 0, 1)
    stored = Meeting.objects.get(pk=record.pk)
    assert (stored.expected_count, stored.present_count, stored.attendance_recorded) == (4, 3, True)


def test_an_import_still_changes_other_columns_of_an_attended_meeting(zone):
    record = counted_meeting(zone)
    assert counts(ok(import_rows("meetings", [MEETING_HEADER, meeting_row(主持人="张书记")]))) == (0, 1, 0)
    stored = Meeting.objects.get(pk=record.pk)
    assert (stored.host, stored.expected_count, stored.present_count) == ("张书记", 4, 3)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_meetings_export_and_import_back_unchanged(zone, fmt):
    members = [make_member(zone.branch_a1) for _ in range(4)]
    services.meeting_create(
        actor=None,
        organization=zone.branch_a1,
        kind=MeetingKind.COMMITTEE,
        held_on=D(2025, 1, 1),
        theme="=支委会（公式样）",
        attendance=[{"member": m, "present": True} for m in members[:3]]
        + [{"member": members[3], "present": False, "absence_reason": "病假"}],
    )
    ok(
        import_rows(
            "meetings",
            [
                MEETING_HEADER,
                meeting_row(应到人数="12", 实到人数="10", 主持人="张"),
                meeting_row(
                    "乙企业党支部", "党课", "2025-12-31", "党课", 讲课人="李局长", 讲课人身份="县局领导"
                ),
            ],
        )
    )
    assert_round_trip("meetings", fmt)


def test_the_meeting_export_writes_the_ledger_words(zone):
    ok(
        import_rows(
            "meetings",
            [MEETING_HEADER, meeting_row("乙企业党支部", "党课", 讲课人="李", 讲课人身份="县局领导")],
        )
    )
    rows = export_rows("meetings")
    assert rows[0] == [h.rstrip("*") for h in MEETING_HEADER]
    assert rows[1] == [
        "乙企业党支部",
        "党课",
        datetime.datetime(2025, 3, 15),
        "第一季度党员大会",
        None,
        None,
        None,
        "李",
        "县局领导",
    ]


def test_a_secretary_imports_meetings_only_for_their_subtree(zone, secretary_a):
    rows = [MEETING_HEADER, meeting_row(theme="一"), meeting_row("乙企业党支部", theme="二")]
    report = import_rows("meetings", rows, actor=secretary_a)
    assert error_briefs(report) == ["第 3 行 整行：超出您的数据授权范围，操作未执行"]
    assert not Meeting.objects.exists()
    ok(import_rows("meetings", rows[:2], actor=secretary_a))
    assert Meeting.objects.get().organization == zone.branch_a1


def test_a_secretary_exports_only_meetings_in_their_subtree(zone, secretary_a):
    ok(
        import_rows(
            "meetings", [MEETING_HEADER, meeting_row(theme="一"), meeting_row("乙企业党支部", theme="二")]
        )
    )
    rows = export_rows("meetings", user=secretary_a)
    assert [r[0] for r in rows[1:]] == ["甲一党支部"]


# == trainings =================================================================================
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_training_ledger_imports_every_column(zone, fmt):
    rows = [
        ["2025年教育培训台账"],
        TRAINING_HEADER,
        training_row(host="甲企业党委", end="2025/5/12", count="1,200", hours="２４.5"),
        training_row("人才沙龙", "人才培训", "商洛学院", "2025年6月1日", "", "35", ""),
    ]
    report = ok(import_rows("trainings", rows, fmt))
    assert counts(report) == (2, 0, 0)
    course = Training.objects.get(name="党务干部培训班")
    assert (course.kind, course.host_name, course.organization) == (
        TrainingKind.SPECIAL_CLASS,
        "甲企业党委",
        zone.committee_a,
    )
    assert (course.start_on, course.end_on) == (D(2025, 5, 10), D(2025, 5, 12))
    assert (course.attendance_count, course.hours) == (1200, Decimal("24.5"))
    assert course.org_path == zone.committee_a.path
    salon = Training.objects.get(name="人才沙龙")
    assert (salon.kind, salon.host_name, salon.organization, salon.org_path) == (
        TrainingKind.TALENT,
        "商洛学院",
        None,
        "",
    )


def test_training_headers_are_recognised_by_their_synonyms(zone):
    rows = [
        ["班次名称", "培训类型", "主办单位", "开始日期", "培训人次"],
        ["大讲堂第1期", "高新大讲堂", "甲企业党委", "2025-03-01", "80"],
    ]
    ok(import_rows("trainings", rows))
    stored = Training.objects.get()
    assert (stored.kind, stored.host_name, stored.attendance_count) == (
        TrainingKind.LECTURE_HALL,
        "甲企业党委",
        80,
    )


@pytest.mark.parametrize("label", [label for _, label in TrainingKind.choices])
def test_every_training_type_is_accepted(label):
    ok(import_rows("trainings", [TRAINING_HEADER, training_row(kind=label)]))
    assert Training.objects.get().get_kind_display() == label


def test_an_unknown_training_type_is_a_row_error():
    error = only_error(import_rows("trainings", [TRAINING_HEADER, training_row(kind="研讨会")]))
    assert (
        error
        == "第 2 行 培训类型：“研讨会”不是可选值（主题班会、专题培训班、高新大讲堂、人才培训、创业培训、其他）"
    )


def test_a_training_ending_before_it_starts_is_a_row_error():
    error = only_error(
        import_rows("trainings", [TRAINING_HEADER, training_row(start="2025-05-10", end="2025-05-09")])
    )
    assert error == "第 2 行 结束日期：结束日期不能早于开始日期"


def test_a_one_day_training_may_end_on_its_start_day():
    ok(import_rows("trainings", [TRAINING_HEADER, training_row(start="2025-05-10", end="2025-05-10")]))
    assert Training.objects.get().end_on == D(2025, 5, 10)


def test_attendance_is_required_for_a_training():
    assert (
        only_error(import_rows("trainings", [TRAINING_HEADER, training_row(count="")]))
        == "第 2 行 参训人次：必填，不能为空"
    )
    report = import_rows("trainings", [TRAINING_HEADER[:5], training_row()[:5]])
    assert error_briefs(report) == ["文件：缺少必填列 参训人次"]


def test_negative_hours_are_a_row_error():
    assert (
        only_error(import_rows("trainings", [TRAINING_HEADER, training_row(hours="-2")]))
        == "第 2 行 学时：不能小于 0"
    )


@pytest.mark.parametrize("fmt", ["xlsx", "csv-bom"])
def test_reimporting_the_same_trainings_changes_nothing(zone, fmt):
    rows = [
        TRAINING_HEADER,
        training_row(host="甲企业党委", hours="3"),
        training_row("沙龙", "人才培训", "外单位"),
    ]
    ok(import_rows("trainings", rows, fmt))
    before = record_changes()
    assert counts(ok(import_rows("trainings", rows, fmt))) == (0, 0, 2)
    assert record_changes() == before


def test_a_changed_training_row_updates_the_training_with_the_same_name_and_start():
    ok(import_rows("trainings", [TRAINING_HEADER, training_row(count="40")]))
    assert counts(ok(import_rows("trainings", [TRAINING_HEADER, training_row(count="45")]))) == (0, 1, 0)
    assert Training.objects.get().attendance_count == 45
    ok(import_rows("trainings", [TRAINING_HEADER, training_row(start="2025-09-01")]))
    assert Training.objects.count() == 2


def test_a_bad_training_row_among_good_ones_imports_nothing():
    rows = [
        TRAINING_HEADER,
        training_row("一"),
        training_row("二", end="2025-01-01"),
        training_row("三", count="x"),
    ]
    report = import_rows("trainings", rows)
    assert error_briefs(report) == [
        "第 3 行 结束日期：结束日期不能早于开始日期",
        "第 4 行 参训人次：“x”不是数字",
    ]
    assert not Training.objects.exists()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_trainings_export_and_import_back_unchanged(zone, fmt):
    ok(
        import_rows(
            "trainings",
            [
                TRAINING_HEADER,
                training_row(host="甲企业党委", end="2025-05-12", hours="12.5"),
                training_row("沙龙", "人才培训"),
            ],
        )
    )
    assert_round_trip("trainings", fmt)


# == activities ================================================================================
@pytest.mark.parametrize("fmt", FORMATS)
def test_an_activity_ledger_imports_every_column(zone, fmt):
    rows = [
        ["活动台账"],
        ACTIVITY_HEADER,
        activity_row(org="甲企业党委", people="30", enterprises="甲企业、乙企业", money="12,345.50"),
        activity_row("银企对接会第1期", "银企对接会", "", "2025年7月1日", "", "乙企业", ""),
    ]
    ok(import_rows("activities", rows, fmt))
    charity = Activity.objects.get(name="社区义诊")
    assert (charity.kind, charity.organizer_name, charity.organization) == (
        ActivityKind.PUBLIC_WELFARE,
        "甲企业党委",
        zone.committee_a,
    )
    assert (charity.held_on, charity.participant_count, charity.donation) == (
        D(2025, 6, 1),
        30,
        Decimal("12345.50"),
    )
    assert set(charity.enterprises.values_list("name", flat=True)) == {"甲企业", "乙企业"}
    meeting = Activity.objects.get(name="银企对接会第1期")
    assert (meeting.kind, meeting.donation, meeting.organization) == (
        ActivityKind.BANK_ENTERPRISE,
        None,
        None,
    )
    assert list(meeting.enterprises.values_list("name", flat=True)) == ["乙企业"]


def test_activity_headers_are_recognised_by_their_synonyms(zone):
    rows = [
        ["活动名称", "活动类型", "组织单位", "活动日期"],
        ["早餐会", "早餐会", "乙企业党支部", "2025-03-03"],
    ]
    ok(import_rows("activities", rows))
    assert Activity.objects.get().organization == zone.branch_b


@pytest.mark.parametrize("label", [label for _, label in ActivityKind.choices])
def test_every_activity_type_is_accepted(label):
    ok(import_rows("activities", [ACTIVITY_HEADER, activity_row(kind=label)]))
    assert Activity.objects.get().get_kind_display() == label


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("12,345.50", Decimal("12345.50")),
        ("1,000,000", Decimal("1000000")),
        ("１２，３４５", Decimal("12345")),
        (" 8000元 ", Decimal("8000")),
        ("￥2,500.5", Decimal("2500.5")),
        (3000, Decimal("3000")),
        (1234.56, Decimal("1234.56")),
        ("0.01", Decimal("0.01")),
    ],
)
def test_donations_are_money_in_yuan_however_written(written, expected):
    ok(import_rows("activities", [ACTIVITY_HEADER, activity_row(money=written)]))
    assert Activity.objects.get().donation == expected


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("1.5万元", "“1.5万元”不是数字"),
        ("-100", "不能小于 0"),
        ("1.005", "小数位数超过 2 位"),
        ("一千元", "“一千元”不是数字"),
    ],
)
def test_a_donation_that_is_not_money_in_yuan_is_a_row_error(written, reason):
    error = only_error(import_rows("activities", [ACTIVITY_HEADER, activity_row(money=written)]))
    assert error == f"第 2 行 捐款金额（元）：{reason}"


@pytest.mark.parametrize(
    "cell",
    [
        "甲企业、乙企业",
        "甲企业,乙企业",
        "甲企业，乙企业",
        "甲企业；乙企业",
        "甲企业\n乙企业",
        "甲企业、甲企业、乙企业",
    ],
)
def test_participating_enterprises_accept_every_list_separator(zone, cell):
    ok(import_rows("activities", [ACTIVITY_HEADER, activity_row(enterprises=cell)]))
    assert sorted(Activity.objects.get().enterprises.values_list("name", flat=True)) == ["乙企业", "甲企业"]


def test_an_enterprise_that_matches_nothing_is_a_row_error(zone):
    error = only_error(
        import_rows("activities", [ACTIVITY_HEADER, activity_row(enterprises="甲企业、丙企业")])
    )
    assert error == "第 2 行 参与企业：找不到企业“丙企业”"
    assert not Activity.objects.exists()


def test_every_enterprise_that_matches_nothing_is_named(zone):
    error = only_error(
        import_rows("activities", [ACTIVITY_HEADER, activity_row(enterprises="丙企业、丁企业")])
    )
    assert error == "第 2 行 参与企业：找不到企业“丙企业”；找不到企业“丁企业”"


def test_an_enterprise_name_shared_by_two_enterprises_is_a_row_error(zone):
    make_enterprise("同名企业")
    make_enterprise("同名企业")
    error = only_error(import_rows("activities", [ACTIVITY_HEADER, activity_row(enterprises="同名企业")]))
    assert error == "第 2 行 参与企业：名为“同名企业”的企业有多个，无法确定是哪一个"


def test_an_organizer_outside_the_tree_is_kept_as_text(zone):
    ok(import_rows("activities", [ACTIVITY_HEADER, activity_row(org="商洛市慈善总会")]))
    stored = Activity.objects.get()
    assert (stored.organizer_name, stored.organization, stored.org_path) == ("商洛市慈善总会", None, "")


@pytest.mark.parametrize("fmt", ["xlsx", "csv-bom"])
def test_reimporting_the_same_activities_changes_nothing(zone, fmt):
    rows = [
        ACTIVITY_HEADER,
        activity_row(org="甲企业党委", enterprises="甲企业、乙企业", money="1,000.50"),
        activity_row("早餐会", "早餐会"),
    ]
    ok(import_rows("activities", rows, fmt))
    before = record_changes()
    assert counts(ok(import_rows("activities", rows, fmt))) == (0, 0, 2)
    assert record_changes() == before


def test_changed_enterprises_update_the_activity(zone):
    ok(import_rows("activities", [ACTIVITY_HEADER, activity_row(enterprises="甲企业")]))
    report = ok(import_rows("activities", [ACTIVITY_HEADER, activity_row(enterprises="乙企业")]))
    assert counts(report) == (0, 1, 0)
    assert list(Activity.objects.get().enterprises.values_list("name", flat=True)) == ["乙企业"]


def test_an_empty_enterprise_cell_clears_the_enterprises_and_a_missing_column_keeps_them(zone):
    ok(import_rows("activities", [ACTIVITY_HEADER, activity_row(enterprises="甲企业")]))
    ok(import_rows("activities", [ACTIVITY_HEADER[:4], activity_row()[:4]]))
    assert Activity.objects.get().enterprises.count() == 1
    ok(import_rows("activities", [ACTIVITY_HEADER, activity_row(enterprises="")]))
    assert Activity.objects.get().enterprises.count() == 0


def test_a_bad_activity_row_among_good_ones_imports_nothing(zone):
    rows = [
        ACTIVITY_HEADER,
        activity_row("一", enterprises="甲企业"),
        activity_row("二", enterprises="丙企业"),
        activity_row("三", money="-5"),
        activity_row("四"),
    ]
    report = import_rows("activities", rows)
    assert error_briefs(report) == [
        "第 3 行 参与企业：找不到企业“丙企业”",
        "第 4 行 捐款金额（元）：不能小于 0",
    ]
    assert not Activity.objects.exists()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_activities_export_and_import_back_unchanged(zone, fmt):
    rows = [
        ACTIVITY_HEADER,
        activity_row(org="甲企业党委", people="30", enterprises="甲企业、乙企业", money="12,345.50"),
        activity_row("早餐会", "早餐会", money="88200"),
        activity_row("上门服务", "上门服务", enterprises="乙企业", money="0.10"),
    ]
    ok(import_rows("activities", rows))
    assert_round_trip("activities", fmt)


def test_the_activity_export_writes_exact_amounts_and_enterprise_names(zone):
    ok(
        import_rows(
            "activities", [ACTIVITY_HEADER, activity_row(enterprises="甲企业、乙企业", money="12,345.50")]
        )
    )
    exported = export_rows("activities", fmt="csv")
    assert exported[1][5].split("、") == ["甲企业", "乙企业"] or exported[1][5].split("、") == [
        "乙企业",
        "甲企业",
    ]
    assert Decimal(exported[1][6]) == Decimal("12345.50")


# == documents =================================================================================
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_document_ledger_imports_every_column(fmt):
    rows = [
        ["2025年发文台账"],
        ["发文字号", "文件标题", "印发日期", "文件类别"],
        document_row(category="指导性文件"),
        document_row("商高党工委发〔2025〕2号", "关于开展主题党日的通知", "2025年3月1日", "通知"),
    ]
    ok(import_rows("documents", rows, fmt))
    first = Document.objects.get(number="商高党工委发〔2025〕1号")
    assert (first.title, first.issued_on, first.category) == (
        "关于加强非公企业党建工作的意见",
        D(2025, 2, 1),
        DocumentCategory.GUIDANCE,
    )
    assert Document.objects.get(number="商高党工委发〔2025〕2号").category == DocumentCategory.NOTICE


@pytest.mark.parametrize("label", [label for _, label in DocumentCategory.choices])
def test_every_document_category_is_accepted(label):
    ok(import_rows("documents", [DOCUMENT_HEADER, document_row(category=label)]))
    assert Document.objects.get().get_category_display() == label


def test_an_unknown_document_category_is_a_row_error():
    error = only_error(import_rows("documents", [DOCUMENT_HEADER, document_row(category="决定")]))
    assert error == "第 2 行 文件类别：“决定”不是可选值（指导性文件、通知、方案、其他）"


@pytest.mark.parametrize(("column", "index"), [("文号", 0), ("标题", 1), ("发文日期", 2)])
def test_an_empty_required_document_cell_is_a_row_error(column, index):
    row = document_row()
    row[index] = ""
    assert only_error(import_rows("documents", [DOCUMENT_HEADER, row])) == f"第 2 行 {column}：必填，不能为空"


def test_the_same_document_number_twice_with_different_titles_is_a_row_error():
    rows = [DOCUMENT_HEADER, document_row(), document_row(title="另一个标题")]
    assert only_error(import_rows("documents", rows)) == "第 3 行 文号：与第 2 行重复，但内容不同"


def test_the_same_document_row_twice_is_imported_once():
    report = ok(import_rows("documents", [DOCUMENT_HEADER, document_row(), document_row()]))
    assert counts(report) == (1, 0, 1)
    assert Document.objects.count() == 1


def test_a_document_number_already_known_updates_that_document():
    ok(import_rows("documents", [DOCUMENT_HEADER, document_row()]))
    report = ok(import_rows("documents", [DOCUMENT_HEADER, document_row(title="新标题", category="方案")]))
    assert counts(report) == (0, 1, 0)
    stored = Document.objects.get()
    assert (stored.title, stored.category) == ("新标题", DocumentCategory.PLAN)


def test_reimporting_the_same_documents_changes_nothing():
    rows = [DOCUMENT_HEADER, document_row(), document_row("二号", "标题二", "2025-12-31", "其他")]
    ok(import_rows("documents", rows))
    before = record_changes()
    assert counts(ok(import_rows("documents", rows))) == (0, 0, 2)
    assert record_changes() == before


def test_a_document_dry_run_writes_nothing():
    report = ok(import_rows("documents", [DOCUMENT_HEADER, document_row()], dry_run=True))
    assert counts(report) == (1, 0, 0)
    assert not Document.objects.exists()


def test_unknown_document_columns_are_ignored_and_reported():
    report = ok(import_rows("documents", [[*DOCUMENT_HEADER, "备注"], [*document_row(), "存档"]]))
    assert report.unknown_columns == ["备注"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_documents_export_and_import_back_unchanged(fmt):
    rows = [DOCUMENT_HEADER, document_row(), document_row("-2号", "=危险的标题", "2025-12-31", "")]
    ok(import_rows("documents", rows))
    assert_round_trip("documents", fmt)
    assert Document.objects.get(number="-2号").title == "=危险的标题"


def test_a_secretary_cannot_import_documents(secretary_a):
    with pytest.raises(PermissionDenied):
        import_ledger("documents", b"", "x.csv", actor=secretary_a)
