"""The dashboard in a real browser: the warning count is loaded after the page is shown."""

import pytest

from dangjian.core.testing.browser import By, expected_conditions, wait_for
from dangjian.organizations.models import OrgKind
from dangjian.organizations.warnings import organization_warnings
from dangjian.testing.factories import PASSWORD, make_member, make_org, make_user
from dangjian.testing.second_factor import browser_log_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("default_data")]


def test_the_dashboard_shows_the_warning_count_once_it_has_loaded(live_server, desktop, zone):
    branch = make_org("两人党支部", OrgKind.BRANCH, zone.root)
    make_member(branch)
    make_member(branch)
    admin = make_user("zone_admin", organization=zone.root)
    expected = len(organization_warnings(user=admin))
    assert expected > 0
    browser_log_in(desktop, live_server.url, "/admin/login/", admin, PASSWORD)
    count = wait_for(desktop, expected_conditions.presence_of_element_located((By.ID, "warning-count")))
    wait_for(desktop, lambda browser: count.text.endswith("条"))
    assert count.text == f"{expected} 条"
    count.click()
    wait_for(desktop, expected_conditions.title_contains("组织预警"))
    assert "正式党员 2 人，不足 3 人" in desktop.find_element(By.TAG_NAME, "body").text
