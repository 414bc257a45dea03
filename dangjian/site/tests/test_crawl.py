"""Signed in as each demo role, every link the pages show (a few of each kind) opens with no 4xx
or 5xx and shows no English: the demo zone is loaded once for the module and rolled back."""

import pytest

from dangjian.accounts.models import User
from dangjian.core.testing.crawl import crawl
from dangjian.core.testing.english import english_words
from dangjian.core.testing.scope_matrix import rolled_back
from dangjian.site.demo import load_demo_zone

pytestmark = pytest.mark.django_db
ROLES = ["zone_admin", "leader", "secretary", "cadre", "enterprise", "sysadmin", "secadmin", "auditor"]


@pytest.fixture(scope="module")
def demo_zone(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), rolled_back(load_demo_zone):
        yield


@pytest.mark.parametrize("username", ROLES)
def test_every_page_a_role_reaches_opens_and_is_in_chinese(demo_zone, client, username):
    user = User.objects.get(username=username)
    names = set(User.objects.values_list("username", flat=True))  # login names are data
    client.force_login(user)
    start = "/portal/" if username == "enterprise" else "/admin/"
    problems = crawl(
        client, start, per_kind=1, limit=250, check=lambda url, page: english_words(page, names) or None
    )
    assert problems == {}
