"""Times are shown in local time (Asia/Shanghai) and amounts as people read them."""


def test_record_titles_show_local_time(db):
    """An assessment computed at 15:36 UTC is titled 23:36, as 计算时间 shows it (Asia/Shanghai)."""
    import datetime

    from django.utils import timezone

    from dangjian.projects.models import AssessmentRun

    run = AssessmentRun(year=2025, created_at=datetime.datetime(2026, 11, 30, 15, 36, tzinfo=datetime.UTC))
    assert str(run) == "2025 年度考核（2026-11-30 23:36）"
    assert timezone.get_current_timezone_name() == "Asia/Shanghai"


def test_amounts_show_separated_without_the_zeros_of_exact_storage(client, zone_admin):
    from decimal import Decimal

    from dangjian.core.admin_base import number_text
    from dangjian.projects.tests.factories import make_project

    assert number_text(Decimal("32000.000000"), 6) == "32,000"
    assert number_text(Decimal("1234.500000"), 6) == "1,234.5"
    assert number_text(Decimal("1234.5"), 2) == "1,234.50"
    assert number_text(None, 2) == "—"
    project = make_project("投资项目", total_investment=Decimal("32000"))
    client.force_login(zone_admin)
    listing = client.get("/admin/projects/project/").content.decode()
    assert "32,000" in listing and "32000.000000" not in listing
    form = client.get(f"/admin/projects/project/{project.pk}/change/").content.decode()
    assert 'value="32000"' in form and "32000.000000" not in form
