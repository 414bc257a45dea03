"""The audit log's daily jobs (dangjian.core.jobs): the chain's head written to the anchor file
outside the database, the chain verified, and — where an archive folder is configured — the
entries older than the retention period archived and removed."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from dangjian.core.jobs import run_command, scheduled


@scheduled("audit_anchor", label="审计链锚点", at="01:35", description="把审计链的链首追加写入库外的锚点文件")
def audit_anchor(job, progress):
    run_command(job, "audit_anchor")


@scheduled(
    "audit_verify",
    label="审计链校验",
    at="01:45",
    description="逐条校验审计日志的哈希链及库外锚点；不完整时任务失败并写明第一条有问题的记录",
)
def audit_verify(job, progress):
    run_command(job, "audit_verify")


def _archive_unavailable() -> str:
    if not settings.AUDIT_ARCHIVE_DIR:
        return "未设置归档目录 DANGJIAN_AUDIT_ARCHIVE_DIR"
    return ""


@scheduled(
    "audit_archive",
    label="审计记录归档",
    at="02:10",
    description="把保存期以前的审计记录归档到文件（校验无误后才从库中移除）；任务进程须以数据库属主身份运行",
    needs=_archive_unavailable,
)
def audit_archive(job, progress):
    retention = max(settings.AUDIT_RETENTION_DAYS, settings.AUDIT_MIN_RETENTION_DAYS)
    before = timezone.localdate() - datetime.timedelta(days=retention)
    folder = Path(settings.AUDIT_ARCHIVE_DIR)
    if not folder.is_dir():
        raise ValidationError(f"归档目录 {folder} 不存在")
    output = folder / f"audit-before-{before:%Y-%m-%d}-{timezone.now():%H%M%S}.jsonl.gz"
    run_command(job, "audit_archive", before=before.isoformat(), output=str(output))
