"""The service desk's daily job (dangjian.core.jobs)."""

from dangjian.core.jobs import run_command, scheduled


@scheduled(
    "servicedesk_daily",
    label="服务事项日终处理",
    at="01:10",
    description="超时未受理、未办结的事项升级到承办人的分管领导；办结后逾期未确认的事项自动确认",
)
def servicedesk_daily(job, progress):
    run_command(job, "servicedesk_daily")
