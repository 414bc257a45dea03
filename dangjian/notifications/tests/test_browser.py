"""The bell in a real browser: a request is assigned to a cadre, who signs in to the back office,
sees the bell's count, opens the message from the list and lands on the request; the count is gone."""

import pytest

from dangjian.core.testing.browser import By, expected_conditions, log_in, wait_for
from dangjian.notifications.models import Notification
from dangjian.projects.tests.factories import make_cadre
from dangjian.servicedesk.tests.factories import designate, make_contact, submit
from dangjian.testing.factories import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("default_data")]


def test_a_handler_sees_the_bell_count_after_a_request_is_assigned_and_opens_it(live_server, desktop, zone):
    cadre = designate(zone.enterprise_a, make_cadre("王联系", phone="13900000002"))
    cadre.user.set_password(PASSWORD)
    cadre.user.save()
    request = submit(zone.enterprise_a, actor=make_contact(zone.enterprise_a), title="厂房用电增容")

    log_in(desktop, live_server.url, "/admin/login/", cadre.user.username, PASSWORD)
    wait_for(desktop, expected_conditions.presence_of_element_located((By.ID, "notification-count")))
    assert desktop.find_element(By.ID, "notification-count").text == "1"
    assert desktop.find_element(By.ID, "notification-bell").get_attribute("title") == "站内消息：1 条未读"

    desktop.find_element(By.ID, "notification-bell").click()
    title = f"诉求{request.number}“厂房用电增容”已分派给您办理"
    wait_for(desktop, expected_conditions.presence_of_element_located((By.LINK_TEXT, title)))
    body = desktop.find_element(By.TAG_NAME, "body").text
    assert "全部标为已读" in body and "未读" in body
    desktop.find_element(By.LINK_TEXT, title).click()

    wait_for(
        desktop, expected_conditions.url_contains(f"/admin/servicedesk/servicerequest/{request.pk}/change/")
    )
    wait_for(
        desktop, expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "body"), request.number)
    )
    assert desktop.find_elements(By.ID, "notification-count") == []
    assert Notification.objects.get(recipient=cadre.user).read_at is not None
