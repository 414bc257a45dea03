"""The Content-Security-Policy on every kind of page: the strict base everywhere, 'unsafe-eval'
and inline styles only in the back office (its theme's Alpine.js), inline styles and a blob:
worker only on the API documentation; and no template of ours with an inline script (without
the nonce), an inline event handler, a javascript: link or an inline style."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from dangjian.projects.tests.factories import make_cadre, make_project
from dangjian.servicedesk.tests.factories import make_contact

pytestmark = pytest.mark.django_db

BASE = {
    "default-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
}


def policy(response) -> dict[str, set[str]]:
    header = response["Content-Security-Policy"]
    parts = {}
    for directive in header.split(";"):
        name, *values = directive.split()
        parts[name] = set(values)
    return parts


def sources(values):
    """The sources of a directive but the request's nonce."""
    return {v for v in values if not v.startswith("'nonce-")}


def assert_base(parts):
    for name, values in BASE.items():
        assert parts[name] == values, name


def assert_strict(response):
    parts = policy(response)
    assert_base(parts)
    assert sources(parts["script-src"]) == {"'self'"}
    assert parts["style-src"] == {"'self'"}


def assert_back_office(response):
    parts = policy(response)
    assert_base(parts)
    assert sources(parts["script-src"]) == {"'self'", "'unsafe-eval'"}
    assert parts["style-src"] == {"'self'", "'unsafe-inline'"}


@pytest.fixture
def admin_client(client, zone, zone_admin):
    client.force_login(zone_admin)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/members/member/",
        "/admin/organizations/partyorganization/{root}/change/",
        "/admin/two-factor/",
        "/admin/ledgers/",
        "/admin/no-such-page/",
    ],
)
def test_the_back_office_allows_only_what_its_theme_needs(admin_client, zone, url):
    response = admin_client.get(url.format(root=zone.root.pk))
    assert response.status_code in (200, 404)
    assert_back_office(response)


def test_the_sign_in_page_is_the_back_office_s(client, db):
    assert_back_office(client.get("/admin/login/"))


@pytest.mark.parametrize("url", ["/m/login/", "/portal/login/", "/no-such-page/"])
def test_pages_outside_the_back_office_have_the_strict_policy(client, db, url):
    response = client.get(url)
    assert response.status_code in (200, 404)
    assert_strict(response)


def test_the_phone_pages_of_a_cadre_have_the_strict_policy(client, zone):
    cadre = make_cadre("王策略")
    make_project("秦岭数据中心", cadres=[cadre])
    client.force_login(cadre.user)
    for url in ("/m/daily/", "/m/problems/"):
        response = client.get(url)
        assert response.status_code == 200
        assert_strict(response)


def test_the_portal_pages_of_a_contact_have_the_strict_policy(client, zone):
    client.force_login(make_contact(zone.enterprise_a))
    for url in ("/portal/", "/portal/new/", "/portal/visits/"):
        response = client.get(url)
        assert response.status_code == 200
        assert_strict(response)


def test_the_api_has_the_strict_policy(admin_client):
    response = admin_client.get("/api/v1/organizations/")
    assert response.status_code == 200
    assert_strict(response)


@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_api_documentation_adds_inline_styles_and_a_worker_only(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 200
    parts = policy(response)
    assert_base(parts)
    assert sources(parts["script-src"]) == {"'self'"}
    assert parts["style-src"] == {"'self'", "'unsafe-inline'"}
    assert parts["worker-src"] == {"'self'", "blob:"}
    # Swagger UI's starting script comes from its own address, not inline
    if url.endswith("docs/"):
        assert "?script" in response.content.decode()
        script = admin_client.get(url + "?script")
        assert script.status_code == 200 and b"SwaggerUIBundle" in script.content


def test_every_answer_has_its_own_nonce_when_one_is_used(rf):
    from django.http import HttpResponse

    from dangjian.site.csp import PathCSPMiddleware

    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    middleware = PathCSPMiddleware(view)
    nonces = set()
    for _ in range(2):
        request = rf.get("/portal/")
        response = middleware(request)
        found = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        assert f'nonce="{found}"'.encode() in response.content
        nonces.add(found)
    assert len(nonces) == 2


# -- the templates ----------------------------------------------------------------------------------------
def our_templates():
    folders = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    folders += [
        Path(config.path) / "templates"
        for config in apps.get_app_configs()
        if config.name.startswith("dangjian.")
    ]
    return sorted({path for folder in folders if folder.is_dir() for path in folder.rglob("*.html")})


SCRIPT = re.compile(r"<script\b([^>]*)>", re.I)
HANDLER = re.compile(r"""<[^>]*\son[a-z]+\s*=""", re.I)
INLINE_STYLE = re.compile(r"""<style\b|<[^>]*\sstyle\s*=""", re.I)


def problems(text: str) -> list[str]:
    found = []
    for attributes in SCRIPT.findall(text):
        if "src=" not in attributes and "nonce=" not in attributes:
            found.append("内联脚本没有 nonce")
    if HANDLER.search(text):
        found.append("内联事件处理（on…=）")
    if "javascript:" in text.lower():
        found.append("javascript: 链接")
    if INLINE_STYLE.search(text):
        found.append("内联样式")
    return found


def test_the_scan_finds_each_kind_of_inline_code():
    assert problems('<script>alert(1)</script><a onclick="x()">') == [
        "内联脚本没有 nonce",
        "内联事件处理（on…=）",
    ]
    assert problems('<a href="javascript:history.back()">') == ["javascript: 链接"]
    assert problems('<div style="color:red">') == ["内联样式"]
    assert (
        problems('<script src="/static/a.js"></script><script nonce="{{ request.csp_nonce }}">1</script>')
        == []
    )


def test_no_template_of_ours_has_inline_code():
    templates = our_templates()
    assert len(templates) > 30
    found = {str(path): problems(path.read_text()) for path in templates}
    assert {path: kinds for path, kinds in found.items() if kinds} == {}
