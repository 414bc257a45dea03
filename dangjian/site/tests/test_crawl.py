"""Signed in as each demo role, every link the pages show (a few of each kind) opens with no 4xx
or 5xx and shows no English: the demo zone is loaded once for the module and rolled back."""

import pytest

from dangjian.accounts.models import User
from dangjian.core.registry import demo_logins
from dangjian.core.testing.crawl import crawl
from dangjian.core.testing.english import english_words

pytestmark = pytest.mark.django_db
ROLES = [
    "zone_admin",
    "leader",
    "secretary",
    "cadre",
    "enterprise",
    "sysadmin",
    "secadmin",
    "auditor",
    "investment",
    "talent",
]


def test_every_demo_login_is_walked():
    assert sorted(ROLES) == sorted(username for username, _ in demo_logins())


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
