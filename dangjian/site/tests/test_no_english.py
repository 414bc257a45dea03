"""No English where a role can reach: the sign-in pages, and for each role the first page and
every page of its sidebar (a new untranslated string makes this fail, naming it)."""

import pytest
from django.test import RequestFactory

from dangjian.core.testing.english import english_words
from dangjian.site.admin_site import sidebar_navigation
from dangjian.testing.factories import make_user

pytestmark = pytest.mark.django_db
ROLES = {
    "zone_admin": ("organization", "root"),
    "leader": ("organization", "root"),
    "secretary": ("organization", "committee_a"),
    "cadre": ("enterprise", "enterprise_a"),
    "system_admin": None,
    "security_admin": None,
    "audit_admin": None,
}


@pytest.mark.parametrize("url", ["/admin/login/", "/portal/login/"])
def test_the_sign_in_pages_are_in_chinese(client, url):
    assert english_words(client.get(url).content.decode()) == []


def _pages(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    links = ["/admin/"]
    for group in sidebar_navigation(request):
        links += [str(item["link"]) for item in group["items"] if item["permission"](request)]
    return links


@pytest.mark.parametrize("role", ROLES)
def test_the_pages_of_a_roles_sidebar_are_in_chinese(client, zone, role):
    grant = ROLES[role]
    user = make_user(role, **({grant[0]: getattr(zone, grant[1])} if grant else {}))
    client.force_login(user)
    found = {}
    for url in _pages(user):
        response = client.get(url, follow=True)
        words = english_words(response.content.decode(), allowed={user.username})
        if words:
            found[url] = words
    assert found == {}


def test_the_english_finder_sees_text_buttons_and_placeholders_but_not_icons_codes_or_scripts():
    page = """
        <p>保存 Save changes</p><input type="submit" value="Delete"><input placeholder="Search">
        <span class="material-symbols-outlined">dashboard</span><script>var localStorage;</script>
        <td>91610000MA6TFYB</td><td>zone_admin</td><td>user12</td>
    """
    assert english_words(page) == ["Delete", "Save", "Search", "changes"]
