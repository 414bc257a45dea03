"""The organizations' daily job (dangjian.core.jobs): the stored warnings refreshed for the new day
(a term that ran out overnight, a month that ended with a meeting not held)."""

from dangjian.core.jobs import run_command, scheduled


@scheduled(
    "refresh_warnings",
    label="刷新组织预警",
    at="00:20",
    description="按新的一天重新计算全部组织的预警（换届逾期、组织生活逾期、发展党员环节超期、党费未交等）",
)
def refresh_warnings(job, progress):
    run_command(job, "refresh_warnings")
