import pytest
from rest_framework.test import APIClient

from dangjian.testing.factories import PASSWORD


@pytest.fixture
def api():
    return APIClient()


def test_a_token_from_username_and_password_reads_the_api_within_the_users_scope(api, zone, secretary_a):
    response = api.post("/api/v1/auth/token/", {"username": secretary_a.username, "password": PASSWORD})
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.data['token']}")
    names = {row["name"] for row in api.get("/api/v1/organizations/").data["results"]}
    assert names == {"甲企业党委", "甲一党支部", "甲一第1党小组", "甲二党支部"}


def test_a_wrong_password_gets_no_token(api, zone, secretary_a):
    response = api.post("/api/v1/auth/token/", {"username": secretary_a.username, "password": "wrong"})
    assert response.status_code == 400


def test_without_credentials_the_api_answers_401_or_403(api, zone):
    assert api.get("/api/v1/organizations/").status_code in (401, 403)


def test_the_schema_and_the_interactive_docs_are_served_without_a_cdn(client, zone_admin):
    client.force_login(zone_admin)
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/members/{id}/reveal/" in schema.content
    docs = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn." not in docs and "unpkg" not in docs and "jsdelivr" not in docs


@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_api_documentation_pages_load_nothing_from_outside_the_installation(client, zone_admin, url):
    import re

    client.force_login(zone_admin)
    page = client.get(url).content.decode()
    outside = [
        u for u in re.findall(r"""(?:src|href)=["'](https?://[^"']+)""", page) if "testserver" not in u
    ]
    assert outside == []
    assert "fonts.googleapis" not in page and "fonts.gstatic" not in page


def test_service_validation_errors_come_back_in_chinese_naming_the_field(api, zone, zone_admin):
    api.force_authenticate(zone_admin)
    response = api.post(
        "/api/v1/members/",
        {
            "name": "错号",
            "id_number": "610102199001011234",
            "organization": zone.branch_a1.pk,
            "category": "full",
            "joined_on": "2015-07-01",
            "regularized_on": "2016-07-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "校验位" in " ".join(response.data["id_number"])
