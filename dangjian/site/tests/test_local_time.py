"""Times are shown in local time (Asia/Shanghai) everywhere, not UTC."""


def test_record_titles_show_local_time(db):
    """An assessment computed at 15:36 UTC is titled 23:36, as 计算时间 shows it (Asia/Shanghai)."""
    import datetime

    from django.utils import timezone

    from dangjian.projects.models import AssessmentRun

    run = AssessmentRun(year=2025, created_at=datetime.datetime(2026, 11, 30, 15, 36, tzinfo=datetime.UTC))
    assert str(run) == "2025 年度考核（2026-11-30 23:36）"
    assert timezone.get_current_timezone_name() == "Asia/Shanghai"
