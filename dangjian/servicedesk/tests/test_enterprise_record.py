"""企业服务档案: the desk seen from one enterprise's side — its requests, visits and events with
the cadres there and the problems it raised, its cadres and its figures — and the rates page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from dangjian.partylife import services as partylife_services
from dangjian.partylife.models import ActivityKind
from dangjian.projects.models import ProblemSource
from dangjian.projects.tests.factories import assign, make_cadre, make_problem, user_of
from dangjian.servicedesk.selectors import enterprise_service_record
from dangjian.testing.factories import make_user

from .factories import D, accept, category, close, designate, make_contact, rate, submit

pytestmark = pytest.mark.django_db

Y2025 = (D(2025, 1, 1), D(2025, 12, 31))


@pytest.fixture
def desk(zone):
    """甲企业: 王 is its designated cadre. In 2025 it submitted three requests (one accepted late,
    one closed and rated 4, one still waiting past its deadline); 乙企业 one. A forum both attended
    and a visit to 甲 alone; at the forum each raised a problem."""
    wang = designate(zone.enterprise_a, make_cadre("王联系"))
    li = designate(zone.enterprise_b, make_cadre("李联系"))
    immediate = category("马上办")
    rated = submit(zone.enterprise_a, on=D(2025, 3, 3), category=immediate, title="甲：用电增容")
    accept(rated, on=D(2025, 3, 3))
    close(rated, on=D(2025, 3, 5))
    rate(rated, 4, on=D(2025, 3, 6))
    late = submit(zone.enterprise_a, on=D(2025, 4, 7), category=immediate, title="甲：招工对接")
    accept(late, on=D(2025, 4, 9))  # due 8 April
    submit(zone.enterprise_a, on=D(2025, 12, 1), category=immediate, title="甲：仍未受理")
    submit(zone.enterprise_a, on=D(2024, 5, 6), title="甲：上年事项")
    other = submit(zone.enterprise_b, on=D(2025, 3, 3), title="乙：土地证")
    accept(other, on=D(2025, 3, 3))
    forum = partylife_services.activity_save(
        actor=None,
        name="企业家早餐会",
        kind=ActivityKind.BREAKFAST,
        held_on=D(2025, 6, 10),
        enterprises=[zone.enterprise_a, zone.enterprise_b],
        cadres=[wang, li],
    )
    partylife_services.activity_save(
        actor=None,
        name="上门问诊甲企业",
        kind=ActivityKind.ENTERPRISE_VISIT,
        held_on=D(2025, 9, 1),
        enterprises=[zone.enterprise_a],
        cadres=[wang],
    )
    partylife_services.activity_save(
        actor=None,
        name="上门帮扶乙企业",
        kind=ActivityKind.ENTERPRISE_VISIT,
        held_on=D(2025, 9, 2),
        enterprises=[zone.enterprise_b],
        cadres=[li],
    )
    for enterprise, text in ((zone.enterprise_a, "甲：融资难"), (zone.enterprise_b, "乙：用地指标")):
        make_problem(
            enterprise=enterprise,
            source=ProblemSource.VISIT,
            description=text,
            raised=forum.held_on,
            source_activity=forum,
        )
    return {"wang": wang, "li": li}


def record(user, enterprise):
    return enterprise_service_record(user=user, enterprise=enterprise, start=Y2025[0], end=Y2025[1])


def test_the_record_holds_the_enterprises_requests_of_the_year_and_those_still_open(desk, zone, zone_admin):
    titles = [r.title for r in record(zone_admin, zone.enterprise_a)["requests"]]
    # newest first; last year's request is still open (never accepted), so it is listed too
    assert titles == ["甲：仍未受理", "甲：招工对接", "甲：用电增容", "甲：上年事项"]


def test_the_records_figures_count_the_late_and_the_overdue(desk, zone, zone_admin):
    figures = record(zone_admin, zone.enterprise_a)["figures"]
    assert figures["submitted"] == 3
    assert figures["closed"] == 1
    # accepted on time, accepted late, still waiting past its 2 December deadline
    assert figures["accept"] == {"on_time": 1, "total": 3}
    # closed on time; accepted 9 April, due 16 April, never closed
    assert figures["close"] == {"on_time": 1, "total": 2}
    assert figures["rating"]["count"] == 1
    assert Decimal(str(figures["rating"]["mean"])) == 4


def test_the_record_lists_the_enterprises_visits_and_events_with_only_its_own_problems(
    desk, zone, zone_admin
):
    activities = list(record(zone_admin, zone.enterprise_a)["activities"])
    assert [a.name for a in activities] == ["上门问诊甲企业", "企业家早餐会"]
    forum = activities[1]
    assert sorted(c.name for c in forum.cadres.all()) == ["李联系", "王联系"]
    assert [p.description for p in forum.problems.all()] == ["甲：融资难"]
    assert [p.description for p in record(zone_admin, zone.enterprise_a)["problems"]] == ["甲：融资难"]


def test_the_record_names_the_cadres_in_charge_now(desk, zone, zone_admin):
    assign(zone.enterprise_a, desk["wang"], make_cadre("赵协管"))
    names = [a.cadre.name for a in record(zone_admin, zone.enterprise_a)["assignments"]]
    assert names == ["王联系", "赵协管"]
    assign(zone.enterprise_a, desk["wang"])  # 赵 no longer in charge
    assert [a.cadre.name for a in record(zone_admin, zone.enterprise_a)["assignments"]] == ["王联系"]


def test_a_contact_sees_the_record_of_their_enterprise_only(client, desk, zone):
    contact = make_contact(zone.enterprise_a)
    client.force_login(contact)
    response = client.get(
        reverse("admin:servicedesk_enterprise", args=[zone.enterprise_a.pk]), {"year": 2025}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "甲：用电增容" in text
    assert "乙：土地证" not in text
    assert client.get(reverse("admin:servicedesk_enterprise", args=[zone.enterprise_b.pk])).status_code == 404


def test_the_record_page_shows_the_figures_cadres_events_and_problems(client, desk, zone, zone_admin):
    client.force_login(zone_admin)
    response = client.get(
        reverse("admin:servicedesk_enterprise", args=[zone.enterprise_a.pk]), {"year": 2025}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "企业服务档案" in text
    assert "按时受理 1 / 3（33.3%）" in text
    assert "按时办结 1 / 2（50.0%）" in text
    assert "4.00 分（1 件已评价）" in text
    assert "企业家早餐会" in text and "上门问诊甲企业" in text
    assert "上门帮扶乙企业" not in text
    assert "甲：融资难" in text and "乙：用地指标" not in text


def test_the_enterprise_form_links_to_its_service_record(client, desk, zone, zone_admin):
    client.force_login(zone_admin)
    response = client.get(reverse("admin:enterprises_enterprise_change", args=[zone.enterprise_a.pk]))
    assert reverse("admin:servicedesk_enterprise", args=[zone.enterprise_a.pk]) in response.content.decode()


def test_a_cadre_sees_the_record_of_an_assigned_enterprise_but_not_of_another(client, desk, zone):
    client.force_login(user_of(desk["wang"]))
    assert client.get(reverse("admin:servicedesk_enterprise", args=[zone.enterprise_a.pk])).status_code == 200
    assert client.get(reverse("admin:servicedesk_enterprise", args=[zone.enterprise_b.pk])).status_code == 404


def test_the_rates_page_shows_counts_and_percentages(client, desk, zone_admin):
    client.force_login(zone_admin)
    text = client.get(reverse("admin:servicedesk_rates"), {"year": 2025}).content.decode()
    # 马上办: 甲 accepted on time, 甲 late, 甲 still waiting → 1 / 3
    assert "1 / 3（33.3%）" in text
    assert "应受理" in text


def test_a_user_without_the_desk_cannot_open_a_record(client, desk, zone):
    client.force_login(make_user("audit_admin"))
    assert client.get(reverse("admin:servicedesk_enterprise", args=[zone.enterprise_a.pk])).status_code == 403


def test_the_record_page_marks_a_request_confirmed_automatically(client, desk, zone, zone_admin):
    from dangjian.servicedesk import services

    request = submit(zone.enterprise_a, on=D(2025, 5, 5), title="甲：自动确认的事项")
    accept(request, on=D(2025, 5, 5))
    close(request, on=D(2025, 5, 6))
    assert services.requests_auto_confirm(actor=None, today=D(2025, 6, 1)) == 1
    client.force_login(zone_admin)
    text = client.get(
        reverse("admin:servicedesk_enterprise", args=[zone.enterprise_a.pk]), {"year": 2025}
    ).content.decode()
    row = text[text.index("甲：自动确认的事项") :]
    row = row[: row.index("</tr>")]
    assert "逾期自动确认" in row
    other = text[text.index("甲：用电增容") :]
    assert "逾期自动确认" not in other[: other.index("</tr>")]


def test_the_link_is_not_shown_to_someone_who_cannot_see_requests(client, desk, zone, secretary_a):
    client.force_login(secretary_a)
    response = client.get(reverse("admin:enterprises_enterprise_change", args=[zone.enterprise_a.pk]))
    assert response.status_code == 200
    assert (
        reverse("admin:servicedesk_enterprise", args=[zone.enterprise_a.pk]) not in response.content.decode()
    )
    assert client.get(reverse("admin:servicedesk_enterprise", args=[zone.enterprise_a.pk])).status_code == 403
