import io

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import get_hashers

from dangjian.testing.factories import Zone, make_user


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Tests create many users; the production hasher is slow on purpose."""
    original = django_settings.PASSWORD_HASHERS
    django_settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_hashers.cache_clear()
    yield
    django_settings.PASSWORD_HASHERS = original
    get_hashers.cache_clear()


@pytest.fixture(autouse=True, scope="session")
def cache_apart(tmp_path_factory):
    """The run's cache in a folder of its own: never the development server's var/cache, and one
    per pytest-xdist worker (each clears it before every test, see `fresh_cache`)."""
    from django.test.utils import override_settings

    folder = tmp_path_factory.mktemp("cache")
    caches = {**django_settings.CACHES}
    if caches["default"]["BACKEND"].endswith("FileBasedCache"):
        caches["default"] = {**caches["default"], "LOCATION": str(folder)}
    override = override_settings(CACHES=caches)
    override.enable()
    yield
    override.disable()


@pytest.fixture
def admin_user(db, django_user_model):
    """pytest-django's superuser, with a password within the policy (its own, "password", is
    refused like every weak password: accounts.models' manager validates on every path)."""
    return django_user_model._default_manager.create_superuser("admin", password="Root@2026pass")


@pytest.fixture(autouse=True)
def force_login_gives_the_second_factor(monkeypatch):
    """`client.force_login(user)` signs in with the second factor given, for a user who must give
    it (dangjian.testing.second_factor); the pages that ask for it are tested through them."""
    from django.test import Client

    from dangjian.testing.second_factor import verified_force_login

    monkeypatch.setattr(Client, "force_login", verified_force_login(Client.force_login))


@pytest.fixture
def zone(db):
    return Zone()


@pytest.fixture
def zone_admin(zone):
    return make_user("zone_admin", organization=zone.root)


@pytest.fixture
def secretary_a(zone):
    """Secretary of 甲企业党委: sees 甲企业党委 and its subtree, not 乙企业党支部."""
    return make_user("secretary", organization=zone.committee_a)


@pytest.fixture
def phone():
    """Headless Chromium at a phone's width (see dangjian.core.testing.browser); at the end, no
    page it showed may have had anything refused by the Content-Security-Policy."""
    from dangjian.core.testing.browser import PHONE, chrome, csp_violations

    browser = chrome(PHONE)
    yield browser
    violations = csp_violations(browser)
    browser.quit()
    assert violations == []


@pytest.fixture
def desktop():
    """Headless Chromium at a desktop's width; at the end, no CSP violation in its console."""
    from dangjian.core.testing.browser import chrome, csp_violations

    browser = chrome()
    yield browser
    violations = csp_violations(browser)
    browser.quit()
    assert violations == []


def make_default_data():
    """The rows the data migrations make (industry clusters, request categories, the rating
    rubric), made again where missing. A transactional test (the browser tests) empties the
    database after it runs, and with it these rows; the built-in roles come back by themselves on
    the emptying's post_migrate."""
    import importlib

    from django.apps import apps

    importlib.import_module("dangjian.enterprises.migrations.0002_default_clusters").add_clusters(apps, None)
    importlib.import_module("dangjian.servicedesk.migrations.0002_default_categories").add(apps, None)
    importlib.import_module("dangjian.ratings.migrations.0002_default_rubric").load(apps, None)


@pytest.fixture
def default_data(transactional_db):
    """The data migrations' rows, for a transactional test (see `make_default_data`)."""
    make_default_data()


@pytest.fixture(autouse=True)
def ledger_uploads_apart(settings, tmp_path_factory):
    """Dry-run ledger uploads of a test wait in a folder of their own (the storage
    "ledger_pending", whose location is LEDGER_PENDING_DIR)."""
    folder = str(tmp_path_factory.mktemp("ledger-pending"))
    settings.LEDGER_PENDING_DIR = folder
    pending = settings.STORAGES["ledger_pending"]
    jobs = settings.STORAGES["jobs"]
    settings.STORAGES = {
        **settings.STORAGES,
        "ledger_pending": {**pending, "OPTIONS": {**pending.get("OPTIONS", {}), "location": folder}},
        "jobs": {**jobs, "OPTIONS": {**jobs.get("OPTIONS", {}), "location": f"{folder}-jobs"}},
    }


@pytest.fixture(autouse=True)
def fresh_cache():
    """The API's request counts (throttling, in the cache) start from nothing in every test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def demo_zone(django_db_setup, django_db_blocker):
    """The demo zone, loaded once for the whole run by `manage.py load_demo` inside a transaction
    that is rolled back at the end (each test then runs in its own savepoint); the fixture's value
    is what the command printed. The tests that use it run after all others
    (`pytest_collection_modifyitems`), so no other test sees the demo's records."""
    from django.core.management import call_command

    from dangjian.core.testing.scope_matrix import rolled_back

    def load():
        # A browser test that ran before may have emptied the data migrations' rows.
        make_default_data()
        call_command("load_demo", stdout=out)

    out = io.StringIO()
    with django_db_blocker.unblock(), rolled_back(load):
        yield out.getvalue()


def pytest_collection_modifyitems(config, items):
    """The tests on the demo zone last, in their order: it is loaded once, when the first of them
    starts, and stays until the run ends."""
    items.sort(key=lambda item: "demo_zone" in getattr(item, "fixturenames", ()))
