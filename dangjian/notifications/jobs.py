"""The daily reminders as a scheduled job (dangjian.core.jobs)."""

from dangjian.core.jobs import run_command, scheduled


@scheduled(
    "notify_due",
    label="每日提醒",
    at="07:00",
    description="提醒逾期未办结的问题、即将到期或已到期的发展党员环节（同一事项每人每天最多提醒一次）",
)
def notify_due(job, progress):
    run_command(job, "notify_due")
