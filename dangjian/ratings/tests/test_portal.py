"""本企业党组织星级 in the enterprise portal: a contact sees the named stars of their own
enterprise's party organizations, with their history, and no other enterprise's."""

import pytest

from dangjian.ratings import services
from dangjian.ratings.tests.factories import run_to
from dangjian.servicedesk.tests.factories import make_contact
from dangjian.testing.factories import make_user

pytestmark = pytest.mark.django_db
URL = "/portal/stars/"


@pytest.fixture
def named(zone):
    services.rating_import(actor=None, organization=zone.branch_a1, year=2023, stars=3, score=76)
    zone.branch_b.brand = "乙企业红色品牌"  # five stars for 乙企业: it must not show to 甲企业
    zone.branch_b.save()
    return run_to("named", zone)


def test_the_contact_sees_their_organizations_named_stars_with_history(client, zone, named):
    client.force_login(make_contact(zone.enterprise_a))
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "本企业党组织星级" in page and zone.enterprise_a.name in page
    assert zone.branch_a1.name in page and zone.branch_a2.name in page
    # 甲一党支部: four stars named in 2025, three imported for 2023
    organizations = dict(response.context["organizations"])
    assert [(r.year, r.stars) for r in organizations[zone.branch_a1]] == [(2025, 4), (2023, 3)]
    assert "四星级" in page and "三星级" in page and "台账导入" in page and "评星活动" in page
    assert "非公企业党组织评星晋级标准（第1版）" in page


def test_the_contact_does_not_see_another_enterprises_stars(client, zone, named):
    client.force_login(make_contact(zone.enterprise_a))
    page = client.get(URL).content.decode()
    assert zone.branch_b.name not in page and "五星级" not in page
    client.force_login(make_contact(zone.enterprise_b))
    response = client.get(URL)
    assert [org for org, _ in response.context["organizations"]] == [zone.branch_b]
    assert zone.branch_a1.name not in response.content.decode()


def test_an_enterprise_without_named_stars_sees_a_chinese_empty_note(client, zone):
    client.force_login(make_contact(zone.enterprise_a))
    assert "本企业党组织暂无评星结果" in client.get(URL).content.decode()


def test_the_portal_navigation_links_to_the_stars(client, zone):
    client.force_login(make_contact(zone.enterprise_a))
    page = client.get("/portal/").content.decode()
    assert f'<a href="{URL}">本企业党组织星级</a>' in page


def test_not_signed_in_goes_to_the_portal_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/login/")


def test_a_user_who_is_no_contact_is_refused(client, zone):
    client.force_login(make_user("secretary", organization=zone.branch_a1))
    assert client.get(URL).status_code == 403
