"""The member list's pages cost their rows, not the scope's size: the back office and
`/api/v1/members/` order by (organization path in byte order, name, id), the order of the
`member_list_order` index; the API finds a page's ids first and reads only those rows, with the
scope's exact count, filters applied and nothing out of scope."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from dangjian.core.paths import path_order
from dangjian.members.models import Member
from dangjian.testing.factories import make_member, make_user


@pytest.fixture
def roster(zone):
    """Members in every branch of the zone, their names out of order."""
    names = ["王五", "李四", "张三", "赵六", "钱七", "孙八", "周九"]
    for n in range(21):
        for org in (zone.branch_a2, zone.branch_a1, zone.branch_b):
            make_member(org, name=f"{names[n % len(names)]}{n:02d}", joined=datetime.date(2015, 1, 1))
    return zone


def expected_order(queryset):
    return sorted(queryset, key=lambda m: (m.org_path.encode(), m.name, m.pk))


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_list_order_is_path_then_name_then_id(roster):
    members = list(Member.objects.order_by(*path_order("name", "id")))
    assert members == expected_order(Member.objects.all())
    assert members[0].org_path == min(m.org_path for m in members)


def test_the_api_pages_follow_the_list_order_and_count_the_whole_scope(roster):
    client = api_for(make_user("zone_admin", organization=roster.root))
    first = client.get("/api/v1/members/?page=1").json()
    second = client.get("/api/v1/members/?page=2").json()
    assert first["count"] == second["count"] == 63
    ids = [row["id"] for row in first["results"]] + [row["id"] for row in second["results"]]
    assert len(first["results"]) == 50 and len(second["results"]) == 13
    assert ids == [m.pk for m in expected_order(Member.objects.all())]
    assert first["next"].endswith("page=2") and second["previous"]


def test_the_api_page_is_read_by_its_ids_in_three_queries_whatever_the_scope(roster):
    user = make_user("zone_admin", organization=roster.root)
    client = api_for(user)
    client.get("/api/v1/members/?page=1")  # the user's grants, once
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/members/?page=1")
    assert response.status_code == 200
    member_queries = [q["sql"] for q in queries.captured_queries if '"members_member"' in q["sql"]]
    count, page, rows = member_queries[-3:]
    assert "COUNT(*)" in count and "JOIN" not in count
    assert "LIMIT 50" in page and "JOIN" not in page
    assert " IN (" in rows and "LIMIT" not in rows


def test_a_secretary_pages_only_their_subtree_with_filters(roster, secretary_a):
    client = api_for(secretary_a)
    data = client.get("/api/v1/members/?page=1").json()
    in_scope = Member.objects.filter(org_path__startswith=roster.committee_a.path)
    assert data["count"] == in_scope.count() == 42
    assert [row["id"] for row in data["results"]] == [m.pk for m in expected_order(in_scope)]
    filtered = client.get(f"/api/v1/members/?organization={roster.branch_a2.pk}").json()
    assert filtered["count"] == 21
    assert {row["organization"] for row in filtered["results"]} == {roster.branch_a2.pk}
    # another subtree's organization as a filter finds nothing
    assert client.get(f"/api/v1/members/?organization={roster.branch_b.pk}").json()["count"] == 0


def test_a_page_past_the_end_is_a_404_not_a_500(roster, secretary_a):
    response = api_for(secretary_a).get("/api/v1/members/?page=9")
    assert response.status_code == 404


def test_the_back_office_list_shows_page_1_in_the_list_order(client, roster):
    admin = make_user("zone_admin", organization=roster.root)
    client.force_login(admin)
    response = client.get("/admin/members/member/")
    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert shown == expected_order(Member.objects.all())[:50]
    assert response.context["cl"].result_count == 63
