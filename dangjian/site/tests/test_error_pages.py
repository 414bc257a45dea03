"""Error pages are Chinese, in the site's look, with a way back to the user's own home."""

import pytest
from django.test import RequestFactory

from dangjian.site import errors
from dangjian.testing.factories import make_member, make_user

pytestmark = pytest.mark.django_db


def test_a_record_outside_the_scope_is_a_chinese_not_found_page(client, zone, secretary_a):
    outsider = make_member(zone.branch_b)
    client.force_login(secretary_a)
    response = client.get(f"/admin/members/member/{outsider.pk}/change/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page and "超出您的数据授权范围" in page
    assert 'href="/admin/"' in page
    assert "Not Found" not in page and "Page not found" not in page


def test_a_forbidden_page_says_why_in_chinese(client, zone):
    client.force_login(make_user("cadre", enterprise=zone.enterprise_a))
    response = client.get("/admin/projects/assessmentrun/compute/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "没有权限" in page
    assert "Forbidden" not in page


def test_an_unknown_address_is_a_chinese_page_that_leads_a_visitor_to_sign_in(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    assert 'href="/admin/login/"' in response.content.decode()


def test_an_enterprise_contact_is_led_back_to_the_portal(client, zone):
    client.force_login(make_user("enterprise_contact", enterprise=zone.enterprise_a))
    response = client.get("/no-such-page/")
    assert 'href="/portal/"' in response.content.decode()


def test_the_server_error_page_is_chinese():
    response = errors.server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "系统出错" in response.content.decode()
