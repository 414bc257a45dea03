"""Background jobs: a job's progress, its failure kept in Chinese with nothing half-written, its
retry; a large ledger file imported in the background (试导入, then 确认导入) and a large export
downloaded from its job; the daily jobs on 定时任务 with their last run, 立即运行, and the
schedules the queue runs them by."""

import datetime
import re
from html import unescape
from io import BytesIO

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_q.models import Schedule
from openpyxl import load_workbook

from dangjian.core import jobs
from dangjian.core.jobs import (
    Progress,
    duration_label,
    enqueue,
    execute,
    job_kind,
    job_retry,
    next_run_at,
    progress_of,
    prune_backups,
    run_command,
    scheduled_jobs,
    sync_schedules,
)
from dangjian.core.models import Holiday, Job
from dangjian.core.testing.codes import make_id_number
from dangjian.core.testing.english import english_words
from dangjian.core.testing.ledgers import csv_bytes
from dangjian.members.models import Member
from dangjian.site.tests.test_structured_pages import json_in, keys_of
from dangjian.testing.factories import make_member, make_user

pytestmark = pytest.mark.django_db
HEADER = ["姓名", "公民身份号码", "人员类别", "入党日期", "转正日期", "所在党组织"]


@job_kind("test_counts", label="测试：数到总数")
def counting_job(job, progress):
    total = job.params["total"]
    for done in range(1, total + 1):
        progress(done, total=total)
    Holiday.objects.create(day=datetime.date(2031, 1, 1), name="测试假日")
    job.summary = f"数到 {total}"


@job_kind("test_fails", label="测试：写了一半出错")
def failing_job(job, progress):
    Holiday.objects.create(day=datetime.date(2031, 1, 2), name="写了一半")
    progress(1, total=2, errors=1)
    if job.params.get("crash"):
        raise RuntimeError("磁盘已满")
    raise ValidationError("第 2 行 所在党组织：没有这个组织")


@pytest.fixture(autouse=True)
def inline(settings):
    settings.JOBS_INLINE = True


def page_text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def started(kind, user, django_capture_on_commit_callbacks, **params):
    with django_capture_on_commit_callbacks(execute=True):
        job = enqueue(kind, user=user, title="测试任务", params=params)
    job.refresh_from_db()
    return job


# -- running, failing, retrying -------------------------------------------------------------------
def test_a_job_runs_when_its_transaction_commits_and_keeps_its_outcome(
    zone_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = enqueue("test_counts", user=zone_admin, title="数数", params={"total": 3})
        assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED
    assert len(callbacks) == 1
    callbacks[0]()
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.summary) == (Job.Status.DONE, 3, 3, "数到 3")
    assert job.started_at <= job.finished_at
    assert Holiday.objects.filter(name="测试假日").exists()
    assert progress_of(job).percent == 100


def test_a_job_runs_once_though_handed_to_the_queue_twice(zone_admin, django_capture_on_commit_callbacks):
    job = started("test_counts", zone_admin, django_capture_on_commit_callbacks, total=1)
    assert execute(job.pk) is None
    assert Holiday.objects.filter(name="测试假日").count() == 1


def test_a_failed_job_keeps_its_chinese_error_and_nothing_it_wrote(
    zone_admin, django_capture_on_commit_callbacks
):
    job = started("test_fails", zone_admin, django_capture_on_commit_callbacks)
    assert job.status == Job.Status.FAILED
    assert job.error == "第 2 行 所在党组织：没有这个组织"
    assert (job.done, job.total, job.errors) == (1, 2, 1)
    assert not Holiday.objects.filter(name="写了一半").exists()


def test_an_unexpected_error_is_told_in_chinese_and_undone_too(
    zone_admin, django_capture_on_commit_callbacks
):
    job = started("test_fails", zone_admin, django_capture_on_commit_callbacks, crash=True)
    assert job.status == Job.Status.FAILED
    assert job.error == "任务执行出错（RuntimeError：磁盘已满），已写入的内容均已撤销，可以重试"
    assert not Holiday.objects.filter(name="写了一半").exists()


def test_an_unknown_kind_is_refused_before_anything_is_queued(zone_admin):
    with pytest.raises(ValidationError, match="没有这种后台任务：不存在"):
        enqueue("不存在", user=zone_admin, title="x")
    assert not Job.objects.exists()


def test_a_failed_job_is_retried_as_a_new_job_with_the_same_work(
    zone_admin, django_capture_on_commit_callbacks
):
    failed = started("test_fails", zone_admin, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        again = job_retry(actor=zone_admin, job=failed)
    again.refresh_from_db()
    assert (again.previous, again.kind, again.params, again.status) == (
        failed,
        "test_fails",
        {},
        Job.Status.FAILED,
    )
    done = started("test_counts", zone_admin, django_capture_on_commit_callbacks, total=1)
    with pytest.raises(ValidationError, match="只有失败的任务可以重试"):
        job_retry(actor=zone_admin, job=done)
    with pytest.raises(PermissionDenied, match="只能重试自己提交的任务"):
        job_retry(
            actor=make_user("zone_admin", organization=failed.user.grants.first().organization), job=failed
        )


# -- progress --------------------------------------------------------------------------------------
def test_a_running_jobs_progress_is_read_from_the_cache_with_the_time_left(zone_admin):
    job = Job.objects.create(kind="test_counts", title="数数", user=zone_admin, status=Job.Status.RUNNING)
    job.started_at = timezone.now() - datetime.timedelta(seconds=40)
    job.save()
    Progress(job)(400, total=1000, errors=3)
    now = job.started_at + datetime.timedelta(seconds=40)
    seen = progress_of(job, now=now)
    assert (seen.done, seen.total, seen.errors, seen.percent, seen.seconds_left) == (400, 1000, 3, 40, 60)
    assert seen.time_left == "1 分 0 秒"


def test_progress_is_sent_at_most_twice_a_second_unless_forced(zone_admin):
    job = Job.objects.create(kind="test_counts", title="数数", user=zone_admin, status=Job.Status.RUNNING)
    job.started_at = timezone.now()
    job.save()
    report = Progress(job)
    report(1, total=10)
    report(2)
    assert progress_of(job).done == 1
    report(3, force=True)
    assert progress_of(job).done == 3
    assert cache.get(f"job-progress:{job.pk}")["total"] == 10


@pytest.mark.parametrize(
    ("done", "total", "percent", "left"),
    [(0, 100, 0, None), (100, 100, 100, 0), (7, None, None, None), (1, 3, 33, 20)],
)
def test_share_and_time_left_at_their_edges(zone_admin, done, total, percent, left):
    job = Job.objects.create(kind="test_counts", title="数数", user=zone_admin, status=Job.Status.RUNNING)
    job.started_at = timezone.now()
    job.save()
    Progress(job)(done, total=total, force=True)
    seen = progress_of(job, now=job.started_at + datetime.timedelta(seconds=10))
    assert (seen.percent, seen.seconds_left) == (percent, left)


@pytest.mark.parametrize(
    ("seconds", "label"),
    [(None, ""), (0.4, "不到 1 秒"), (1, "1 秒"), (59, "59 秒"), (60, "1 分 0 秒"), (3725, "1 小时 2 分")],
)
def test_durations_read_in_chinese(seconds, label):
    assert duration_label(seconds) == label


# -- the ledgers in the background ------------------------------------------------------------------
def roster(zone, count, bad_row=None):
    rows = [HEADER]
    for n in range(count):
        organization = "不存在的支部" if n == bad_row else zone.branch_a1.name
        rows.append(
            [
                f"后台{n}",
                make_id_number(datetime.date(1990, 1, 1 + n % 28), seq=300 + n),
                "正式党员",
                "2015-07-01",
                "2016-07-01",
                organization,
            ]
        )
    return csv_bytes(rows)


def upload(client, data, django_capture_on_commit_callbacks, name="名册.csv"):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            "/admin/ledgers/members/import/",
            {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
        )


def test_a_large_ledger_file_is_tried_in_the_background_then_confirmed_there(
    client, zone, zone_admin, settings, django_capture_on_commit_callbacks
):
    settings.JOBS_IMPORT_ROWS = 3
    client.force_login(zone_admin)
    response = upload(client, roster(zone, 4), django_capture_on_commit_callbacks)
    dry_run = Job.objects.get(user=zone_admin)
    assert response.status_code == 302 and response.url == f"/admin/jobs/{dry_run.pk}/"
    assert (dry_run.status, dry_run.params, dry_run.input_name) == (
        Job.Status.DONE,
        {"ledger": "members", "dry_run": True},
        "名册.csv",
    )
    assert not Member.objects.filter(name__startswith="后台").exists()
    page = client.get(response.url)
    text = page_text(page)
    assert "党员花名册：将新增 4 条，将更新 0 条，未变化 0 条（试导入，未写入）" in text
    assert 'name="confirm"' in page.content.decode() and "第 2 行 后台0" in text
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(response.url, {"confirm": "1"})
    job = Job.objects.exclude(pk=dry_run.pk).get()
    assert confirmed.url == f"/admin/jobs/{job.pk}/"
    assert (job.status, job.previous, job.params["dry_run"]) == (Job.Status.DONE, dry_run, False)
    assert Member.objects.filter(name__startswith="后台").count() == 4
    assert "党员花名册：已新增 4 条" in page_text(client.get(confirmed.url))
    # confirmed once: the dry run's page offers it no more, and a second POST writes nothing
    assert 'name="confirm"' not in client.get(response.url).content.decode()
    client.post(response.url, {"confirm": "1"})
    assert Job.objects.count() == 2


def test_a_jobs_stored_result_reads_as_tables_and_text_never_as_json(
    client, zone, zone_admin, settings, django_capture_on_commit_callbacks
):
    settings.JOBS_IMPORT_ROWS = 1
    client.force_login(zone_admin)
    response = upload(client, roster(zone, 3, bad_row=2), django_capture_on_commit_callbacks)
    job = Job.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        run = client.post("/admin/schedules/servicedesk_daily/run/")
    for address, stored in ((response.url, job.result), (run.url, Job.objects.get(kind="scheduled").result)):
        page = client.get(address).content.decode()
        content = page.split('id="job"', 1)[1]  # the job's part, not the sidebar's icon names
        assert json_in(content, keys_of(stored)) == [], address
        assert english_words(page, {zone_admin.username}) == [], address


def test_a_large_file_with_a_bad_row_is_reported_by_its_job_and_nothing_is_written(
    client, zone, zone_admin, settings, django_capture_on_commit_callbacks
):
    settings.JOBS_IMPORT_ROWS = 3
    client.force_login(zone_admin)
    response = upload(client, roster(zone, 5, bad_row=4), django_capture_on_commit_callbacks)
    job = Job.objects.get()
    assert job.status == Job.Status.DONE and job.errors == 1
    page = client.get(response.url)
    text = page_text(page)
    assert "发现 1 个错误" in text and "第 6 行" in text and "不存在的支部" in text
    assert 'name="confirm"' not in page.content.decode()
    client.post(response.url, {"confirm": "1"})
    assert Job.objects.count() == 1
    assert not Member.objects.filter(name__startswith="后台").exists()


def test_a_small_file_is_still_imported_on_the_page(
    client, zone, zone_admin, settings, django_capture_on_commit_callbacks
):
    settings.JOBS_IMPORT_ROWS = 3
    client.force_login(zone_admin)
    response = upload(client, roster(zone, 2), django_capture_on_commit_callbacks)
    assert response.status_code == 200 and not Job.objects.exists()
    assert "将新增 2 条" in page_text(response)


def test_a_large_export_is_made_in_the_background_and_downloaded_by_its_user_only(
    client, zone, zone_admin, settings, django_capture_on_commit_callbacks
):
    settings.JOBS_EXPORT_ROWS = 0
    make_member(zone.branch_a1, name="导出甲")
    client.force_login(zone_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/admin/ledgers/organizations/export/")
    job = Job.objects.get()
    assert response.url == f"/admin/jobs/{job.pk}/"
    assert job.status == Job.Status.DONE and job.output_name.endswith(".xlsx")
    assert "下载" in page_text(client.get(response.url))
    download = client.get(f"/admin/jobs/{job.pk}/download/")
    book = load_workbook(BytesIO(b"".join(download.streaming_content)))
    assert book.active.cell(1, 1).value
    other = make_user("zone_admin", organization=zone.root)
    client.force_login(other)
    assert client.get(f"/admin/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/admin/jobs/{job.pk}/download/").status_code == 404
    assert client.get(f"/admin/jobs/{job.pk}/progress/").status_code == 404


def test_my_jobs_lists_only_my_own(client, zone, zone_admin, django_capture_on_commit_callbacks):
    started("test_counts", zone_admin, django_capture_on_commit_callbacks, total=2)
    other = make_user("zone_admin", organization=zone.root)
    started("test_fails", other, django_capture_on_commit_callbacks)
    client.force_login(zone_admin)
    text = page_text(client.get("/admin/jobs/"))
    assert "测试任务" in text and "已完成" in text and "失败" not in text
    client.force_login(other)
    text = page_text(client.get("/admin/jobs/"))
    assert "失败" in text and "已完成" not in text


def test_the_progress_address_answers_json_for_the_bar(
    client, zone_admin, django_capture_on_commit_callbacks
):
    job = started("test_counts", zone_admin, django_capture_on_commit_callbacks, total=4)
    client.force_login(zone_admin)
    data = client.get(f"/admin/jobs/{job.pk}/progress/").json()
    assert (data["status"], data["status_label"], data["done"], data["total"], data["percent"]) == (
        "done",
        "已完成",
        4,
        4,
        100,
    )


def test_a_failed_job_is_retried_from_its_page(client, zone_admin, django_capture_on_commit_callbacks):
    failed = started("test_fails", zone_admin, django_capture_on_commit_callbacks)
    client.force_login(zone_admin)
    page = page_text(client.get(f"/admin/jobs/{failed.pk}/"))
    assert "第 2 行 所在党组织：没有这个组织" in page and "重试" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/jobs/{failed.pk}/", {"retry": "1"})
    again = Job.objects.get(previous=failed)
    assert response.url == f"/admin/jobs/{again.pk}/"


# -- the daily jobs ---------------------------------------------------------------------------------
def test_every_daily_job_has_a_schedule_the_queue_runs(db):
    keys = {entry.key for entry in scheduled_jobs()}
    assert {
        "escalate_problems",
        "servicedesk_daily",
        "notify_due",
        "audit_anchor",
        "audit_verify",
        "audit_archive",
        "backup",
        "ledger_uploads",
        "jobs_cleanup",
        "refresh_warnings",
        "clear_sessions",
    } <= keys
    sync_schedules()
    schedules = {s.name: s for s in Schedule.objects.filter(name__startswith="dangjian:")}
    assert set(schedules) == {f"dangjian:{key}" for key in keys}
    anchor = schedules["dangjian:audit_anchor"]
    assert (anchor.func, anchor.args, anchor.schedule_type) == (
        "dangjian.core.jobs.run_scheduled",
        "'audit_anchor'",
        Schedule.DAILY,
    )
    assert timezone.localtime(anchor.next_run).time() == datetime.time(1, 35)


def test_syncing_removes_schedules_of_jobs_gone_and_keeps_the_next_run(db):
    Schedule.objects.create(name="dangjian:gone", func="dangjian.core.jobs.run_scheduled", args="'gone'")
    sync_schedules()
    anchor = Schedule.objects.get(name="dangjian:audit_anchor")
    later = anchor.next_run + datetime.timedelta(days=3)
    Schedule.objects.filter(pk=anchor.pk).update(next_run=later)
    sync_schedules()
    assert not Schedule.objects.filter(name="dangjian:gone").exists()
    assert Schedule.objects.get(name="dangjian:audit_anchor").next_run == later


def test_the_next_run_is_today_if_the_time_is_still_ahead_else_tomorrow():
    at = datetime.time(1, 35)
    before = timezone.make_aware(datetime.datetime(2026, 12, 3, 1, 34))
    on = timezone.make_aware(datetime.datetime(2026, 12, 3, 1, 35))
    assert next_run_at(at, before) == timezone.make_aware(datetime.datetime(2026, 12, 3, 1, 35))
    assert next_run_at(at, on) == timezone.make_aware(datetime.datetime(2026, 12, 4, 1, 35))


def test_a_scheduled_run_is_a_job_with_the_commands_output(db):
    assert jobs.run_scheduled("servicedesk_daily") == Job.Status.DONE
    job = Job.objects.get(kind="scheduled")
    assert job.title == "服务事项日终处理" and job.user is None
    assert job.summary and job.result["output"]


def test_a_daily_job_not_set_up_here_does_not_run(db, settings):
    settings.BACKUP_DIR = ""
    assert jobs.run_scheduled("backup") is None
    assert not Job.objects.exists()


def test_a_command_that_exits_with_a_status_fails_its_job(db, monkeypatch):
    job = Job.objects.create(kind="scheduled", title="校验")

    def exits(*args, **kwargs):
        raise SystemExit(2)

    monkeypatch.setattr(jobs, "call_command", exits)
    with pytest.raises(ValidationError, match="命令 audit_verify 以状态 2 结束"):
        run_command(job, "audit_verify")


def test_the_schedules_page_is_the_zone_administrators(client, zone, zone_admin, secretary_a, settings):
    settings.BACKUP_DIR = ""
    sync_schedules()
    client.force_login(zone_admin)
    page = client.get("/admin/schedules/")
    text = page_text(page)
    assert page.status_code == 200
    for label in ("升级超时问题", "服务事项日终处理", "每日提醒", "审计链锚点", "审计链校验", "数据备份"):
        assert label in text
    assert "未启用：未设置备份目录 DANGJIAN_BACKUP_DIR" in text
    assert "尚未运行" in text
    client.force_login(secretary_a)
    assert client.get("/admin/schedules/").status_code == 403
    assert client.post("/admin/schedules/notify_due/run/").status_code == 403


def test_run_now_starts_the_daily_job_and_its_last_run_shows(
    client, zone_admin, django_capture_on_commit_callbacks
):
    client.force_login(zone_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/schedules/escalate_problems/run/")
    job = Job.objects.get()
    assert response.url == f"/admin/jobs/{job.pk}/"
    assert (job.status, job.user, job.params) == (Job.Status.DONE, zone_admin, {"key": "escalate_problems"})
    assert job.summary in page_text(client.get("/admin/schedules/"))
    assert client.post("/admin/schedules/nope/run/").status_code == 404


def test_stuck_jobs_are_marked_failed_and_old_files_removed(zone_admin, settings):
    stuck = Job.objects.create(kind="test_counts", title="卡住", user=zone_admin, status=Job.Status.RUNNING)
    Job.objects.filter(pk=stuck.pk).update(started_at=timezone.now() - datetime.timedelta(days=1))
    old = Job.objects.create(kind="test_counts", title="旧", user=zone_admin, status=Job.Status.DONE)
    jobs.attach_output(old, b"data", "x.xlsx")
    old.finished_at = timezone.now() - datetime.timedelta(days=settings.JOBS_KEEP_DAYS + 1)
    old.save()
    stored = old.output_file.name
    run = Job.objects.create(kind="scheduled", title="清理", params={"key": "jobs_cleanup"})
    jobs.jobs_cleanup(run, Progress(run))
    stuck.refresh_from_db()
    old.refresh_from_db()
    assert stuck.status == Job.Status.FAILED and "任务进程中断" in stuck.error
    assert not old.output_file and not old.output_file.storage.exists(stored)
    assert run.summary == "中断的任务 1 个记为失败；删除过期文件 1 个"


@pytest.mark.parametrize(
    ("today", "name", "kept"),
    [
        ("2026-12-03", "dangjian-2026-11-03.backup", True),  # 30 days old
        ("2026-12-03", "dangjian-2026-11-02.backup", False),  # 31
        ("2026-12-02", "dangjian-2025-12-01.backup", True),  # a first of the month, 366 days
        ("2026-12-03", "dangjian-2025-12-01.backup", False),  # a first of the month, 367 days
        ("2026-12-03", "dangjian-2026-12-03-101500.backup", True),  # a second run today
        ("2026-12-03", "dangjian-notes.backup", True),  # no date: left alone
    ],
)
def test_backups_are_kept_thirty_days_and_the_firsts_of_the_month_a_year(tmp_path, today, name, kept):
    (tmp_path / name).write_bytes(b"x")
    prune_backups(tmp_path, datetime.date.fromisoformat(today))
    assert (tmp_path / name).exists() == kept


def test_the_nightly_backup_writes_into_the_backup_folder(db, tmp_path, settings):
    settings.BACKUP_DIR = str(tmp_path)
    assert jobs.run_scheduled("backup") == Job.Status.DONE
    written = list(tmp_path.glob("dangjian-*.backup"))
    assert len(written) == 1 and written[0].stat().st_size > 0
    assert Job.objects.get().summary.endswith("删除过期备份 0 个")


def test_an_import_jobs_progress_follows_the_rows_read(
    client, zone, zone_admin, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from dangjian.core.ledgers import engine

    settings.JOBS_IMPORT_ROWS = 3
    monkeypatch.setattr(engine, "PROGRESS_EVERY", 2)
    seen = []
    original = Progress.__call__

    def spy(self, done, total=None, errors=0, note="", force=False):
        seen.append((done, total, errors))
        return original(self, done, total=total, errors=errors, note=note, force=force)

    monkeypatch.setattr(Progress, "__call__", spy)
    client.force_login(zone_admin)
    upload(client, roster(zone, 6, bad_row=5), django_capture_on_commit_callbacks)
    job = Job.objects.get()
    reads = [done for done, _total, _errors in seen if done]
    assert reads[:3] == [2, 4, 6] and reads == sorted(reads)
    assert (job.done, job.total, job.errors) == (7, 7, 1)  # the header and six rows; the last row's error
    assert seen[-1][2] == 1
