"""The projects' daily job (dangjian.core.jobs): problems past their time limit go up a level."""

from dangjian.core.jobs import run_command, scheduled


@scheduled(
    "escalate_problems",
    label="升级超时问题",
    at="01:00",
    description="把超过办理时限的堵点难点问题升级到责任人的分管领导（每个问题只升级一次）",
)
def escalate_problems(job, progress):
    run_command(job, "escalate_problems")
