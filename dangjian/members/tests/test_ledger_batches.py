"""The roster imported in batches (MemberLedger.apply_many): still all or nothing with every row
error reported in file order, the same report and the same audit entries as row by row, the
progress of a long import, and the audit chain intact after the bulk inserts."""

import datetime
import itertools

import pytest

from dangjian.audit import integrity
from dangjian.audit.models import AuditEntry
from dangjian.core.ledgers import engine, get_ledger
from dangjian.core.testing.codes import make_id_number
from dangjian.core.testing.ledgers import error_briefs, import_rows, ledger_file
from dangjian.members.models import Member, Membership
from dangjian.testing.factories import make_member, make_user

HEADER = ["姓名", "公民身份号码", "人员类别", "入党日期", "转正日期", "所在党组织", "所在党小组", "手机号码"]
_seq = itertools.count(7000)
# a region of its own: never the number of a member made by make_member (region 611002, its own count)
REGION = "621001"


def row(name="张三", organization="甲一党支部", **cells):
    birth = cells.pop("birth", datetime.date(1990, 5, 6))
    values = {
        "姓名": name,
        "公民身份号码": cells.pop("id_number", None) or make_id_number(birth, next(_seq), region=REGION),
        "人员类别": "正式党员",
        "入党日期": "2015-07-01",
        "转正日期": "2016-07-01",
        "所在党组织": organization,
        **cells,
    }
    return [values.get(h, "") for h in HEADER]


def roster(count, **cells):
    return [row(name=f"党员{i}", **cells) for i in range(count)]


@pytest.fixture
def batches_of_three(monkeypatch):
    """The roster's batches are 3 rows, so a file of a dozen rows spans several."""
    monkeypatch.setattr(type(get_ledger("members")), "batch_size", 3)


@pytest.fixture
def one_by_one(monkeypatch):
    """The roster without its batched path: every row through `apply` as before."""
    monkeypatch.setattr(type(get_ledger("members")), "apply_many", None)


def created_entries():
    return AuditEntry.objects.filter(action=AuditEntry.Action.CREATE)


def test_a_multi_batch_file_imports_every_row_with_its_stay(zone, batches_of_three):
    report = import_rows("members", [["2024年花名册"], HEADER, *roster(10)])
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (10, 0, 0)
    assert [r.number for r in report.created_rows] == list(range(3, 13))
    members = Member.objects.filter(organization=zone.branch_a1)
    assert members.count() == 10
    assert {m.org_path for m in members} == {zone.branch_a1.path}
    stays = Membership.objects.filter(member__in=members)
    assert stays.count() == 10
    assert all(s.valid_from == datetime.date(2015, 7, 1) and not s.start_known for s in stays)
    assert {s.org_path for s in stays} == {zone.branch_a1.path}
    assert integrity.verify_database().ok


def test_an_error_in_the_last_row_of_a_multi_batch_file_writes_nothing(zone, batches_of_three):
    audit_before = AuditEntry.objects.count()
    rows = [HEADER, *roster(10), row(name="王五", 入党日期="2015-07-01", 转正日期="2015-08-01")]
    report = import_rows("members", rows)
    assert error_briefs(report) == ["第 12 行 转正日期：转正日期早于入党满一年（应为 2016-07-01）"]
    assert report.summary() == "党员花名册：发现 1 个错误，未导入任何数据"
    assert not Member.objects.exists()
    assert not Membership.objects.exists()
    # the only entry is the refusal itself
    entries = AuditEntry.objects.order_by("seq")[audit_before:]
    assert [(e.action, e.message) for e in entries] == [
        (AuditEntry.Action.IMPORT, "台账.xlsx：导入被拒绝，1 个错误，未写入任何数据")
    ]
    assert integrity.verify_database().ok


def test_a_dry_run_of_a_multi_batch_file_reports_and_writes_nothing(zone, batches_of_three):
    audit_before = AuditEntry.objects.count()
    report = import_rows("members", [HEADER, *roster(8)], dry_run=True)
    assert report.ok and report.created == 8
    assert report.summary() == "党员花名册：将新增 8 条，将更新 0 条，未变化 0 条（试导入，未写入）"
    assert not Member.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_errors_in_several_batches_are_all_reported_in_file_order(zone, secretary_a, batches_of_three):
    registered = make_member(zone.branch_b, name="赵六")
    rows = [
        HEADER,
        *roster(2),
        row(name="错一", organization="不存在的支部"),  # row 4, batch 1
        *roster(2),
        row(name="错二", 所在党小组="甲一第9党小组"),  # row 7, batch 2
        row(name="错三", 人员类别="党员"),  # row 8: the cell does not parse
        *roster(1),
        row(name="错四", birth=datetime.date(2000, 3, 15), 入党日期="2018-03-14", 转正日期="2019-03-14"),
        row(name="错五", organization="乙企业党支部"),  # row 11: outside 甲企业党委
        row(name="赵六", id_number=registered.id_number),  # row 12: registered in 乙, moved out of scope
        *roster(2),
        row(name="错七", 手机号码="12345"),  # row 15
    ]
    report = import_rows("members", rows, actor=secretary_a)
    assert error_briefs(report) == [
        "第 4 行 所在党组织：找不到党组织“不存在的支部”",
        "第 7 行 所在党小组：找不到“甲一党支部”下的党小组“甲一第9党小组”",
        "第 8 行 人员类别：“党员”不是可选值（正式党员、预备党员）",
        "第 10 行 入党日期：入党时未满 18 周岁（出生于 2000-03-15）",
        "第 11 行 整行：超出您的数据授权范围，操作未执行",
        "第 12 行 整行：超出您的数据授权范围，操作未执行",
        "第 15 行 手机号码：应为 11 位大陆手机号码",
    ]
    assert report.error_count == 7
    assert list(Member.objects.all()) == [registered]


def test_a_file_with_an_error_in_every_batch_lists_each(zone, batches_of_three):
    rows = [HEADER]
    for batch in range(4):
        rows += [*roster(2), row(name=f"错{batch}", organization=f"无此支部{batch}")]
    report = import_rows("members", rows)
    assert [e.row for e in report.errors] == [4, 7, 10, 13]
    assert [e.value for e in report.errors] == [f"无此支部{b}" for b in range(4)]
    assert not Member.objects.exists()


def test_an_id_number_registered_twice_in_a_batch_is_one_member(zone, batches_of_three):
    same = make_id_number(datetime.date(1990, 5, 6), 42)
    rows = [HEADER, row(name="张三", id_number=same), row(name="张三", id_number=same.lower()), *roster(2)]
    report = import_rows("members", rows)
    assert report.ok, report.errors
    assert (report.created, report.unchanged) == (3, 1)
    assert report.unchanged_rows[0].note == "与第 2 行相同"
    assert Member.objects.count() == 3


def test_reimporting_a_multi_batch_file_changes_nothing_and_an_update_is_watched(zone, batches_of_three):
    rows = [HEADER, *roster(7)]
    assert import_rows("members", rows).created == 7
    changes_before = created_entries().count()
    again = import_rows("members", rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 7)
    assert created_entries().count() == changes_before
    rows[3][HEADER.index("所在党组织")] = "甲二党支部"
    rows[5][HEADER.index("姓名")] = "改名"
    moved = import_rows("members", rows)
    assert (moved.created, moved.updated, moved.unchanged) == (0, 2, 5)
    assert [str(c) for r in moved.updated_rows for c in r.changes] == [
        "所在党组织：甲一党支部 → 甲二党支部",
        "姓名：党员4 → 改名",
    ]
    assert Member.objects.get(name="党员2").organization == zone.branch_a2


def comparable(entries):
    """The audit entries' content, without what differs between two imports of the same rows
    (the records' ids and creation times, the entries' own place in the chain)."""
    out = []
    for entry in entries:
        after = {k: v for k, v in (entry.after or {}).items() if k not in ("id", "member", "created_at")}
        out.append(
            (
                entry.action,
                entry.actor_id,
                entry.actor_label,
                entry.source,
                entry.content_type_id,
                entry.object_repr,
                entry.before,
                after,
                entry.message,
            )
        )
    return out


def test_the_audit_entries_of_a_batched_import_equal_the_row_by_row_ones(zone, monkeypatch):
    user = make_user("zone_admin", organization=zone.root)
    rows = [HEADER, *roster(5), row(name="李四", 所在党小组="甲一第1党小组", 手机号码="13800138000")]
    ledger_class = type(get_ledger("members"))
    batched = ledger_class.apply_many
    monkeypatch.setattr(ledger_class, "apply_many", None)
    start = AuditEntry.objects.count()
    assert import_rows("members", rows, actor=user).created == 6
    per_row = list(AuditEntry.objects.order_by("seq")[start:])
    Membership.objects.all().delete()
    Member.objects.all().delete()
    monkeypatch.setattr(ledger_class, "apply_many", batched)
    monkeypatch.setattr(ledger_class, "batch_size", 4)
    start = AuditEntry.objects.count()
    assert import_rows("members", rows, actor=user).created == 6
    in_batches = list(AuditEntry.objects.order_by("seq")[start:])
    assert len(in_batches) == len(per_row) == 6 * 2 + 1
    assert comparable(in_batches) == comparable(per_row)
    members = {str(m.pk) for m in Member.objects.all()}
    assert {
        e.object_id
        for e in in_batches
        if e.action == AuditEntry.Action.CREATE and e.content_type.model == "member"
    } == members
    member_entry = next(e for e in in_batches if e.object_repr == "李四")
    assert member_entry.after["id_number"].startswith("*")  # masked, as the save signal writes it
    assert member_entry.after["phone"] == "*******8000"
    assert integrity.verify_database().ok


@pytest.mark.parametrize("fmt,total", [("xlsx", 14), ("csv", None)])
def test_progress_is_called_every_few_rows_and_at_the_end(zone, batches_of_three, monkeypatch, fmt, total):
    monkeypatch.setattr(engine, "PROGRESS_EVERY", 4)
    rows = [["2024年花名册"], HEADER, *roster(5), row(name="错", organization="无此支部"), *roster(6)]
    calls = []
    data, filename = ledger_file(rows, fmt)
    report = engine.import_ledger("members", data, filename, progress=lambda *a: calls.append(a))
    assert [c[0] for c in calls] == [4, 8, 12, 14]
    assert {c[2] for c in calls} == {total}
    errors = [c[1] for c in calls]
    assert errors == sorted(errors) and errors[0] == 0
    assert errors[-1] == report.error_count == 1


def test_a_file_refused_while_its_rows_are_read_reports_only_that(zone, settings, batches_of_three):
    settings.LEDGER_MAX_ROWS = 8
    rows = [HEADER, *roster(4), row(name="错", organization="无此支部"), *roster(6)]
    report = import_rows("members", rows, fmt="csv")
    assert report.errors == ["文件：文件超过 8 行的上限，请分成几个文件导入"]
    assert (report.created, report.rows) == (0, [])
    assert not Member.objects.exists()


def test_the_report_lists_the_first_rows_of_each_status_and_counts_all(zone, monkeypatch):
    monkeypatch.setattr(engine, "MAX_ROWS_LISTED", 4)
    report = import_rows("members", [HEADER, *roster(9)])
    assert report.created == 9
    assert [r.number for r in report.created_rows] == [2, 3, 4, 5]
    assert report.created_not_listed == 5
    assert report.as_dict()["rows_not_listed"] == {"created": 5, "updated": 0, "unchanged": 0}


def test_a_batched_import_refreshes_the_stored_warnings_as_saves_do(zone, batches_of_three, committed):
    from dangjian.organizations import services as org_services
    from dangjian.organizations.tests.test_stored_warnings import assert_in_step, codes_of

    org_services.refresh_warnings()
    assert "too_few_full_members" in codes_of(zone.branch_b)
    with committed():
        report = import_rows("members", [HEADER, *roster(4, organization="乙企业党支部")])
    assert report.created == 4
    assert "too_few_full_members" not in codes_of(zone.branch_b)
    assert_in_step()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """A block whose writes are committed: the warnings' refresh on commit runs at its end."""
    from dangjian.organizations import services as org_services

    def block():
        org_services.apply_pending_warnings()
        return django_capture_on_commit_callbacks(execute=True)

    return block
