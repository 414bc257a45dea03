"""The ledgers' background jobs: an import of a large file (试导入 and then 确认导入, each a job with
its progress) and an export of many records (the file kept with the job for its user), and the
daily removal of dry-run uploads left waiting. See dangjian.core.jobs."""

import io
import zipfile

from django.conf import settings
from django.utils import timezone

from dangjian.core.jobs import attach_output, job_kind, read_input, run_command, scheduled
from dangjian.core.ledgers import export_ledger, get_ledger, import_ledger

IMPORT_KIND = "ledger_import"
EXPORT_KIND = "ledger_export"
ROWS_SHOWN = 500  # rows of each kind (created, updated, unchanged) a report's page lists


def estimated_rows(data: bytes, filename: str) -> int:
    """How many rows a ledger file has, cheaply (to choose between now and the background): the
    sheet's recorded size for .xlsx (its rows counted without reading their cells when it records
    none), the lines of a .csv."""
    if filename.lower().endswith(".csv"):
        return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    try:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return 0  # not a workbook: the import says why, right away
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            return 0
        if sheet.max_row:
            return sheet.max_row
        return sum(1 for _ in sheet.iter_rows(values_only=True))
    finally:
        book.close()


def report_page(report) -> dict:
    """An import's report as the job keeps it and its page shows it (the same parts as the
    import page's): every error listed (up to the engine's limit), the rows of each kind up to
    ROWS_SHOWN with the counts of all."""

    def rows(status):
        picked = []
        for row in report.rows:
            if row.status == status:
                picked.append(
                    {
                        "number": row.number,
                        "record": row.record,
                        "changes": [str(c) for c in row.changes],
                        "note": row.note,
                    }
                )
                if len(picked) == ROWS_SHOWN:
                    break
        return picked

    return {
        "ledger": report.ledger,
        "title": report.title,
        "dry_run": report.dry_run,
        "ok": report.ok,
        "summary": report.summary(),
        "header_row": report.header_row,
        "unknown_columns": list(report.unknown_columns),
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "error_count": report.error_count,
        "errors": [error.as_dict() for error in report.errors],
        "created_rows": rows("created"),
        "updated_rows": rows("updated"),
        "unchanged_rows": rows("unchanged"),
        "rows": bool(report.rows),
    }


@job_kind(IMPORT_KIND, label="台账导入")
def run_import(job, progress):
    name, dry_run = job.params["ledger"], bool(job.params.get("dry_run"))
    ledger = get_ledger(name)
    report = import_ledger(
        name,
        read_input(job),
        job.input_name,
        actor=job.user,
        dry_run=dry_run,
        source="import",
        label=f"后台导入{ledger.title}",
        # rows read (the sheet's row numbers), errors so far, and the sheet's size when it says it
        progress=lambda read, errors, total: progress(read, total=total, errors=errors, force=read == total),
    )
    job.result = {"report": report_page(report)}
    job.summary = report.summary()[:500]
    job.errors = report.error_count
    # the end: every row read (a CSV says its size only now)
    progress(progress.done, total=progress.total or progress.done, errors=report.error_count, force=True)


@job_kind(EXPORT_KIND, label="台账导出")
def run_export(job, progress):
    name, fmt = job.params["ledger"], job.params.get("format", "xlsx")
    ledger = get_ledger(name)
    data = export_ledger(
        name,
        user=job.user,
        fmt=fmt,
        source="web",
        reveal_confirmed=bool(job.params.get("reveal_confirmed")),
    )
    attach_output(job, data, f"{ledger.title}-{timezone.localdate():%Y%m%d}.{fmt}")
    job.summary = f"已导出{ledger.title}，文件 {len(data) // 1024 + 1} KB"


@scheduled(
    "ledger_uploads",
    label="清理待确认的台账文件",
    at="03:20",
    description="删除上传后一小时内未确认导入的试导入文件（可能含完整身份证号）",
)
def purge_uploads(job, progress):
    from .views import purge_stale_uploads

    job.summary = f"删除过期的试导入文件 {purge_stale_uploads()} 个"


def background_import(rows: int) -> bool:
    return rows > settings.JOBS_IMPORT_ROWS


@scheduled(
    "clear_sessions",
    label="清理过期会话",
    at="03:30",
    description="删除已过期的登录会话（会话保存在数据库中）",
)
def clear_sessions(job, progress):
    run_command(job, "clearsessions")
    job.summary = "已删除过期的登录会话"
