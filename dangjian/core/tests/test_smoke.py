from dangjian.enterprises.models import Enterprise
from dangjian.members.models import Member


def test_zone_fixture_links_enterprises_to_their_highest_organization(zone):
    assert Enterprise.objects.get(pk=zone.enterprise_a.pk).org_path == zone.committee_a.path
    assert Enterprise.objects.get(pk=zone.enterprise_b.pk).org_path == zone.branch_b.path


def test_member_factory_makes_a_valid_member(zone):
    from dangjian.testing.factories import make_member

    member = make_member(zone.branch_a1)
    assert Member.objects.get(pk=member.pk).org_path == zone.branch_a1.path


def test_signing_in_on_the_login_page_itself_leads_to_the_dashboard(client, zone):
    from dangjian.testing.factories import PASSWORD, make_user

    user = make_user("leader", organization=zone.root)
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == "/admin/"
    first = client.get(response.url, follow=True)  # a leader's first page is the cockpit
    assert first.status_code == 200 and first.redirect_chain == [("/admin/cockpit/", 302)]


def test_signing_in_keeps_the_page_asked_for(client, zone):
    from dangjian.testing.factories import PASSWORD, make_user

    user = make_user("leader", organization=zone.root)
    response = client.post(
        "/admin/login/?next=/admin/warnings/",
        {"username": user.username, "password": PASSWORD, "next": "/admin/warnings/"},
    )
    assert response.url == "/admin/warnings/"
