"""Background jobs (后台任务) on the job queue, django-q2 (settings.Q_CLUSTER: the database as the
broker for `make run`, Redis in production, so workers may run on several machines).

An app declares in its `jobs.py`:
- kinds of work a user starts and then waits for (`job_kind`): a large ledger import or export,
  the yearly summary. `enqueue` records a `core.models.Job` and hands its id to the queue when the
  transaction commits; a worker runs `execute`, which calls the kind's function with the job and
  a `Progress` to report to, and stores the outcome;
- daily work (`scheduled`): escalating overdue problems, the service desk's day, the warnings'
  refresh, the audit chain's anchor, backups. `sync_schedules` (after every migrate) keeps one
  django-q2 schedule per entry; each run is a Job too, so its last run and result are shown.

A job's function does its writes in one transaction: when it fails, nothing it wrote stays and the
job keeps the error (in Chinese) for its page; `job_retry` starts it again as a new job.
"""

import datetime
import io
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from .models import Job
from .registry import app_label_of, discover, installed

logger = logging.getLogger(__name__)

SCHEDULE_PREFIX = "dangjian:"
SCHEDULED_KIND = "scheduled"
MANAGE_SCHEDULES = "core.manage_schedules"


# -- what the apps declare ----------------------------------------------------------------------
@dataclass(frozen=True)
class JobKind:
    key: str
    label: str
    run: Callable  # run(job, progress) -> None
    app: str = ""


@dataclass(frozen=True)
class ScheduledJob:
    key: str
    label: str
    run: Callable  # run(job, progress) -> None
    at: datetime.time  # each day, local time
    description: str = ""
    needs: Callable | None = None  # () -> '' when it can run, else why not (a setting missing)
    app: str = ""

    def unavailable(self) -> str:
        return self.needs() if self.needs else ""


_kinds: dict[str, JobKind] = {}
_schedules: dict[str, ScheduledJob] = {}


def job_kind(key: str, *, label: str):
    """Register `func(job, progress)` as the work of jobs of kind `key`."""

    def decorator(func):
        _kinds[key] = JobKind(key, label, func, app_label_of(func.__module__))
        return func

    return decorator


def scheduled(key: str, *, label: str, at: str, description: str = "", needs: Callable | None = None):
    """Register `func(job, progress)` to run every day at `at` ("HH:MM", local time)."""
    hour, minute = (int(part) for part in at.split(":"))

    def decorator(func):
        _schedules[key] = ScheduledJob(
            key, label, func, datetime.time(hour, minute), description, needs, app_label_of(func.__module__)
        )
        return func

    return decorator


def job_kinds() -> dict[str, JobKind]:
    discover("jobs")
    return {kind.key: kind for kind in installed(_kinds.values())}


def scheduled_jobs() -> list[ScheduledJob]:
    """The daily jobs of the installed apps, by time of day."""
    discover("jobs")
    return sorted(installed(_schedules.values()), key=lambda s: (s.at, s.key))


def scheduled_job(key: str) -> ScheduledJob:
    for entry in scheduled_jobs():
        if entry.key == key:
            return entry
    raise KeyError(key)


# -- progress -----------------------------------------------------------------------------------
def _progress_key(pk) -> str:
    return f"job-progress:{pk}"


class Progress:
    """What a running job reports: rows (or items) done, of how many, errors so far. Kept in the
    cache (the job's own writes may be one long transaction nobody else sees until it ends), at
    most every half second unless `force`; the last report is stored with the job at its end."""

    INTERVAL = 0.5

    def __init__(self, job: Job):
        self.job = job
        self.done, self.total, self.errors, self.note = 0, None, 0, ""
        self._sent = 0.0

    def __call__(self, done: int, total: int | None = None, errors: int = 0, note: str = "", force=False):
        self.done, self.errors, self.note = done, errors, note
        if total is not None:
            self.total = total
        now = time.monotonic()
        if force or now - self._sent >= self.INTERVAL:
            self._sent = now
            cache.set(
                _progress_key(self.job.pk),
                {"done": self.done, "total": self.total, "errors": self.errors, "note": self.note},
                timeout=24 * 3600,
            )


@dataclass(frozen=True)
class ProgressView:
    status: str
    status_label: str
    done: int
    total: int | None
    errors: int
    note: str
    percent: int | None
    seconds_left: int | None
    elapsed: int | None

    @property
    def time_left(self) -> str:
        return duration_label(self.seconds_left)

    def as_dict(self) -> dict:
        return {
            "status": self.status,
            "status_label": self.status_label,
            "done": self.done,
            "total": self.total,
            "errors": self.errors,
            "note": self.note,
            "percent": self.percent,
            "seconds_left": self.seconds_left,
            "time_left": self.time_left,
            "elapsed": duration_label(self.elapsed),
        }


def duration_label(seconds) -> str:
    """“约 3 分 20 秒”, “不到 1 秒”, or '' when unknown."""
    if seconds is None:
        return ""
    seconds = int(seconds)
    if seconds < 1:
        return "不到 1 秒"
    minutes, rest = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} 小时 {minutes} 分"
    if minutes:
        return f"{minutes} 分 {rest} 秒"
    return f"{rest} 秒"


def progress_of(job: Job, now=None) -> ProgressView:
    """The job's progress: from the cache while it runs, from its record once it has ended; the
    share done and the time left estimated from the pace so far."""
    done, total, errors, note = job.done, job.total, job.errors, ""
    if job.status == Job.Status.RUNNING:
        reported = cache.get(_progress_key(job.pk)) or {}
        done = reported.get("done", done)
        total = reported.get("total", total)
        errors = reported.get("errors", errors)
        note = reported.get("note", "")
    percent = None
    if total:
        percent = min(100, int(done * 100 / total))
    elif job.status == Job.Status.DONE:
        percent = 100
    now = now or timezone.now()
    elapsed = None
    if job.started_at:
        elapsed = ((job.finished_at or now) - job.started_at).total_seconds()
    seconds_left = None
    if job.status == Job.Status.RUNNING and total and done and elapsed is not None:
        seconds_left = max(0, elapsed / done * (total - done))
    elif job.status == Job.Status.DONE:
        seconds_left = 0
    return ProgressView(
        job.status, job.get_status_display(), done, total, errors, note, percent, seconds_left, elapsed
    )


# -- starting, running, retrying ---------------------------------------------------------------
def enqueue(kind: str, *, user, title: str, params: dict | None = None, upload=None, previous=None) -> Job:
    """Record a job of `kind` and hand it to the queue once the current transaction commits.
    `upload`: (bytes, file name) the job reads (kept in the configured storage, so a worker on
    another machine finds it); without one, a job that follows `previous` (a retry, or the import
    that confirms a dry run) reads the same file."""
    if kind not in job_kinds():
        raise ValidationError(f"没有这种后台任务：{kind}")
    job = Job.objects.create(kind=kind, title=title, user=user, params=params or {}, previous=previous)
    if upload is not None:
        data, name = upload
        job.input_name = name
        job.input_file.save(f"job-{job.pk}.bin", ContentFile(data), save=False)
        job.save(update_fields=["input_name", "input_file"])
    elif previous is not None and previous.input_file:
        job.input_file.name, job.input_name = previous.input_file.name, previous.input_name
        job.save(update_fields=["input_name", "input_file"])
    transaction.on_commit(lambda: dispatch(job.pk))
    return job


def dispatch(pk: int):
    """Hand the job to the queue (or, with JOBS_INLINE, run it here and now: the tests)."""
    if getattr(settings, "JOBS_INLINE", False):
        execute(pk)
        return
    from django_q.tasks import async_task

    async_task("dangjian.core.jobs.execute", pk, task_name=f"job-{pk}")


def job_retry(*, actor, job: Job) -> Job:
    """Start a failed job again, as a new job with the same work and the same file."""
    if job.status != Job.Status.FAILED:
        raise ValidationError("只有失败的任务可以重试")
    if job.kind == SCHEDULED_KIND:
        if not actor.has_perm(MANAGE_SCHEDULES):
            raise PermissionDenied("您没有管理定时任务的权限")
    elif job.user_id != actor.pk:
        raise PermissionDenied("只能重试自己提交的任务")
    return enqueue(job.kind, user=actor, title=job.title, params=job.params, previous=job)


def execute(pk: int):
    """Run a queued job (in a worker): claim it, run its kind's function, keep the outcome. Any
    error is kept as the job's, in Chinese; the function's transaction has undone its writes."""
    started = timezone.now()
    if not Job.objects.filter(pk=pk, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=started
    ):
        return  # ran already, or is running elsewhere
    job = Job.objects.get(pk=pk)
    progress = Progress(job)
    progress(0, force=True)
    kind = job_kinds().get(job.kind)
    try:
        if kind is None:
            raise ValidationError(f"没有这种后台任务：{job.kind}")
        with transaction.atomic():  # all or nothing: a failure leaves nothing of its writes
            kind.run(job, progress)
    except Exception as exc:  # every failure is the job's outcome, never the worker's
        job.status = Job.Status.FAILED
        job.error = failure_message(exc)
        if not isinstance(exc, ValidationError | PermissionDenied):
            logger.exception("job %s (%s) failed", job.pk, job.kind)
    else:
        job.status = Job.Status.DONE
    job.done, job.errors = progress.done, max(job.errors, progress.errors)
    if progress.total is not None:
        job.total = progress.total
    job.finished_at = timezone.now()
    job.save()
    cache.delete(_progress_key(job.pk))
    return job.status


def failure_message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    if isinstance(exc, PermissionDenied):
        return str(exc) or "超出您的数据授权范围"
    return f"任务执行出错（{exc.__class__.__name__}：{exc}），已写入的内容均已撤销，可以重试"


def attach_output(job: Job, data: bytes, name: str):
    """The file a job made (an export, a document), kept with the job for its user to download."""
    job.output_name = name
    job.output_file.save(f"job-{job.pk}-{int(time.time())}.bin", ContentFile(data), save=False)


def read_input(job: Job) -> bytes:
    with job.input_file.open("rb") as stored:
        return stored.read()


def run_command(job: Job, name: str, *args, **options):
    """Run a management command as the job's work: what it printed is the job's result, its last
    line the summary; a command that stops with an error (or an exit status) fails the job."""
    out = io.StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=out, **options)
    except CommandError as exc:
        raise ValidationError(f"{exc}（{_tail(out.getvalue())}）" if out.getvalue().strip() else str(exc))
    except SystemExit as exc:
        raise ValidationError(f"命令 {name} 以状态 {exc.code} 结束：{_tail(out.getvalue())}") from None
    text = out.getvalue().strip()
    job.summary = (text.splitlines() or ["已完成"])[-1][:500]
    job.result = {"output": text[-20000:]}


def _tail(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return "；".join(lines[-3:])[:400]


# -- the daily jobs -------------------------------------------------------------------------------
@job_kind(SCHEDULED_KIND, label="定时任务")
def run_scheduled_job(job, progress):
    entry = scheduled_job(job.params["key"])
    why_not = entry.unavailable()
    if why_not:
        raise ValidationError(f"未运行：{why_not}")
    entry.run(job, progress)


def run_scheduled(key: str):
    """What django-q2's schedule calls each day: one Job for the run, run here (in the worker)."""
    entry = scheduled_job(key)
    if entry.unavailable():  # not set up here (no backup folder, say): the page says so
        return None
    job = Job.objects.create(kind=SCHEDULED_KIND, title=entry.label, params={"key": key})
    return execute(job.pk)


def schedule_run_now(*, actor, key: str) -> Job:
    """Run a daily job now, in the background, as `actor` (who may manage the schedules)."""
    if not actor.has_perm(MANAGE_SCHEDULES):
        raise PermissionDenied("您没有管理定时任务的权限")
    entry = scheduled_job(key)
    return enqueue(SCHEDULED_KIND, user=actor, title=entry.label, params={"key": key})


def last_runs(keys) -> dict[str, Job]:
    """The latest run of each daily job (one query)."""
    runs = {}
    for job in Job.objects.filter(kind=SCHEDULED_KIND).order_by("-created_at", "-id")[:500]:
        key = job.params.get("key")
        if key in keys and key not in runs:
            runs[key] = job
    return runs


def next_run_at(at: datetime.time, now=None) -> datetime.datetime:
    now = timezone.localtime(now or timezone.now())
    candidate = now.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    return candidate if candidate > now else candidate + datetime.timedelta(days=1)


def sync_schedules(**kwargs):
    """One django-q2 schedule per daily job of the installed apps (after every migrate); those of
    jobs no longer declared are removed. A schedule whose time is unchanged keeps its next run."""
    from django_q.models import Schedule

    wanted = {f"{SCHEDULE_PREFIX}{entry.key}": entry for entry in scheduled_jobs()}
    Schedule.objects.filter(name__startswith=SCHEDULE_PREFIX).exclude(name__in=list(wanted)).delete()
    for name, entry in wanted.items():
        existing = Schedule.objects.filter(name=name).first()
        next_run = next_run_at(entry.at)
        if existing is not None:
            keep = existing.next_run and timezone.localtime(existing.next_run).time() == entry.at
            existing.func, existing.args = "dangjian.core.jobs.run_scheduled", repr(entry.key)
            existing.schedule_type, existing.repeats = Schedule.DAILY, -1
            if not keep:
                existing.next_run = next_run
            existing.save()
        else:
            Schedule.objects.create(
                name=name,
                func="dangjian.core.jobs.run_scheduled",
                args=repr(entry.key),
                schedule_type=Schedule.DAILY,
                repeats=-1,
                next_run=next_run,
            )


@scheduled(
    "jobs_cleanup",
    label="清理后台任务",
    at="03:40",
    description="把进程中断后仍显示“进行中”的任务记为失败；删除已结束超过保留天数的任务的上传文件和结果文件（任务记录保留）",
)
def jobs_cleanup(job, progress):
    now = timezone.now()
    limit = int(settings.Q_CLUSTER.get("timeout", 3600)) + 600
    stuck = Job.objects.filter(
        status=Job.Status.RUNNING, started_at__lt=now - datetime.timedelta(seconds=limit)
    )
    interrupted = stuck.update(
        status=Job.Status.FAILED,
        finished_at=now,
        error="任务进程中断（超过时限仍未结束），已写入的内容均已撤销，可以重试",
    )
    keep_days = int(getattr(settings, "JOBS_KEEP_DAYS", 30))
    old = Job.objects.filter(
        finished_at__lt=now - datetime.timedelta(days=keep_days),
        status__in=[Job.Status.DONE, Job.Status.FAILED],
    ).exclude(input_file="", output_file="")
    in_use = set(
        Job.objects.filter(finished_at__gte=now - datetime.timedelta(days=keep_days))
        .exclude(input_file="")
        .values_list("input_file", flat=True)
    )
    removed = 0
    for stale in old.iterator():
        for field in (stale.input_file, stale.output_file):
            if field and field.name not in in_use:
                field.storage.delete(field.name)
                removed += 1
        stale.input_file, stale.output_file = "", ""
        stale.save(update_fields=["input_file", "output_file"])
    job.summary = f"中断的任务 {interrupted} 个记为失败；删除过期文件 {removed} 个"


def _backup_unavailable() -> str:
    return "" if settings.BACKUP_DIR else "未设置备份目录 DANGJIAN_BACKUP_DIR"


BACKUP_KEEP_DAYS = 30  # every night's backup is kept so long; the first of each month for a year


@scheduled(
    "backup",
    label="数据备份",
    at="02:30",
    description=f"把全部数据和上传文件加密备份到备份目录；保留最近 {BACKUP_KEEP_DAYS} 天的，以及一年内每月 1 日的",
    needs=_backup_unavailable,
)
def nightly_backup(job, progress):
    folder = Path(settings.BACKUP_DIR)
    if not folder.is_dir():
        raise ValidationError(f"备份目录 {folder} 不存在")
    today = timezone.localdate()
    target = folder / f"dangjian-{today:%Y-%m-%d}.backup"
    if target.exists():  # run again the same day (立即运行): another file, never over the first
        target = folder / f"dangjian-{today:%Y-%m-%d}-{timezone.localtime():%H%M%S}.backup"
    run_command(job, "backup", output=str(target))
    removed = prune_backups(folder, today)
    job.summary = f"{job.summary}；删除过期备份 {removed} 个"[:500]


def prune_backups(folder: Path, today: datetime.date) -> int:
    """Delete the backups older than BACKUP_KEEP_DAYS days, except those of the first of a month
    within a year (366 days); files whose name holds no date are left alone."""
    removed = 0
    for path in folder.glob("dangjian-*.backup"):
        try:
            day = datetime.date.fromisoformat(path.name[len("dangjian-") : len("dangjian-") + 10])
        except ValueError:
            continue
        age = (today - day).days
        if age > BACKUP_KEEP_DAYS and not (day.day == 1 and age <= 366):
            path.unlink(missing_ok=True)
            removed += 1
    return removed
