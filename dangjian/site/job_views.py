"""Pages of the background jobs: 我的后台任务 (a user's own jobs), a job's page (its progress bar,
rows read, errors so far and the time left while it runs; its result, file or error once it has
ended; 重试 for a failed one; 确认导入 after a good 试导入), and 定时任务 for whoever manages the
daily jobs (their time, next and last run, 立即运行)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from dangjian.core.jobs import (
    MANAGE_SCHEDULES,
    SCHEDULE_PREFIX,
    SCHEDULED_KIND,
    enqueue,
    job_kinds,
    job_retry,
    last_runs,
    progress_of,
    schedule_run_now,
    scheduled_jobs,
)
from dangjian.core.models import Job

from .jobs import IMPORT_KIND
from .views import _render


def _job_for(request, pk) -> Job:
    """A job its user may open: their own; a daily job's run for who manages the schedules."""
    job = get_object_or_404(Job, pk=pk)
    if job.user_id == request.user.pk:
        return job
    if job.kind == SCHEDULED_KIND and request.user.has_perm(MANAGE_SCHEDULES):
        return job
    raise Http404("没有这个后台任务")


def job_list(request):
    jobs = Job.objects.filter(user=request.user).order_by("-created_at", "-id")
    page = Paginator(jobs, 30).get_page(request.GET.get("page"))
    labels = {key: kind.label for key, kind in job_kinds().items()}
    rows = [(job, labels.get(job.kind, job.kind), progress_of(job)) for job in page.object_list]
    return _render(request, "admin/jobs/list.html", "我的后台任务", page=page, rows=rows)


def job_detail(request, pk):
    job = _job_for(request, pk)
    if request.method == "POST":
        return _job_action(request, job)
    report = (job.result or {}).get("report")
    may_confirm = (
        job.kind == IMPORT_KIND
        and job.status == Job.Status.DONE
        and job.user_id == request.user.pk
        and bool(job.params.get("dry_run"))
        and bool(report and report.get("ok"))
        and not _confirmations(job).exists()
    )
    return _render(
        request,
        "admin/jobs/detail.html",
        job.title,
        job=job,
        progress=progress_of(job),
        report=report,
        output=(job.result or {}).get("output", ""),
        may_confirm=may_confirm,
        may_retry=job.status == Job.Status.FAILED
        and (job.user_id == request.user.pk or request.user.has_perm(MANAGE_SCHEDULES)),
        confirmed=_confirmations(job).first() if report else None,
    )


def _job_action(request, job):
    try:
        if "retry" in request.POST:
            again = job_retry(actor=request.user, job=job)
            messages.success(request, "已重新提交，任务在后台进行")
            return redirect("admin:job", pk=again.pk)
        if "confirm" in request.POST:
            return _confirm_import(request, job)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    return redirect("admin:job", pk=job.pk)


def _confirm_import(request, dry_run):
    """确认导入 after a good 试导入 in the background: the same file, written by a new job."""
    if not (
        dry_run.kind == IMPORT_KIND
        and dry_run.params.get("dry_run")
        and dry_run.status == Job.Status.DONE
        and dry_run.user_id == request.user.pk
        and ((dry_run.result or {}).get("report") or {}).get("ok")
    ):
        raise ValidationError("这次试导入不能确认：请重新上传并试导入")
    if _confirmations(dry_run).exists():
        raise ValidationError("这次试导入已经确认过了")
    title = dry_run.title.replace("试导入", "导入")
    job = enqueue(
        IMPORT_KIND,
        user=request.user,
        title=title,
        params={**dry_run.params, "dry_run": False},
        previous=dry_run,
    )
    messages.success(request, "已确认，正在后台导入")
    return redirect("admin:job", pk=job.pk)


def _confirmations(dry_run):
    return Job.objects.filter(previous=dry_run, kind=IMPORT_KIND, params__dry_run=False)


def job_progress(request, pk):
    """The job's progress for its page's bar (asked every second while it runs)."""
    return JsonResponse(progress_of(_job_for(request, pk)).as_dict())


def job_download(request, pk):
    job = _job_for(request, pk)
    if job.status != Job.Status.DONE or not job.output_file:
        raise Http404("这个任务没有可下载的文件")
    response = FileResponse(job.output_file.open("rb"))
    response["Content-Disposition"] = content_disposition_header(True, job.output_name or "结果文件")
    return response


def schedule_list(request):
    if not request.user.has_perm(MANAGE_SCHEDULES):
        raise PermissionDenied
    from django_q.models import Schedule

    entries = scheduled_jobs()
    runs = last_runs({entry.key for entry in entries})
    planned = {
        name.removeprefix(SCHEDULE_PREFIX): next_run
        for name, next_run in Schedule.objects.filter(name__startswith=SCHEDULE_PREFIX).values_list(
            "name", "next_run"
        )
    }
    rows = [(entry, planned.get(entry.key), runs.get(entry.key), entry.unavailable()) for entry in entries]
    history = Job.objects.filter(kind=SCHEDULED_KIND).order_by("-created_at", "-id")[:30]
    return _render(request, "admin/jobs/schedules.html", "定时任务", rows=rows, history=history)


@require_POST
def schedule_run(request, key):
    try:
        job = schedule_run_now(actor=request.user, key=key)
    except KeyError:
        raise Http404("没有这个定时任务") from None
    except PermissionDenied:
        raise
    messages.success(request, f"已开始运行“{job.title}”")
    return redirect("admin:job", pk=job.pk)
