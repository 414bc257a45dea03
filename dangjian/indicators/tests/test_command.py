"""`manage.py indicators --year Y [--scope NAME] [--json]` (INDICATORS.md, Command line)."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dangjian.core.indicators import all_indicators
from dangjian.enterprises import services as enterprise_services
from dangjian.organizations import services as org_services
from dangjian.organizations.models import OrgKind, PartyOrganization
from dangjian.testing.factories import make_member, make_org

OURS = {
    "orgs.branches": ("党支部数", "个"),
    "orgs.standardized_rate": ("党支部标准化规范化达标率", "%"),
    "orgs.party_groups": ("党小组数", "个"),
    "posts.responsibility_areas": ("党员责任区数", "个"),
    "posts.model_posts": ("党员示范岗数", "个"),
    "members.total": ("党员总数", "名"),
    "enterprises.high_tech": ("高新技术企业数", "家"),
    "enterprises.tech_smes": ("科技型中小企业数", "家"),
    "enterprises.incubated": ("孵化企业数", "家"),
    "enterprises.revenue_growth": ("营业收入同比增长", "%"),
}


def run(*args):
    out = StringIO()
    call_command("indicators", *args, stdout=out)
    return out.getvalue()


def run_json(*args):
    text = run(*args, "--json")
    return text, json.loads(text)


@pytest.fixture
def figures(zone):
    """2023: 3 branches, all standardized; 2 members; 甲企业 grew from 100 to 125."""
    for branch in (zone.branch_a1, zone.branch_a2, zone.branch_b):
        org_services.organization_update(
            actor=None, organization=PartyOrganization.objects.get(pk=branch.pk), standardized=True
        )
    make_member(zone.branch_a1)
    make_member(zone.branch_b)
    for year, revenue in ((2022, "100"), (2023, "125")):
        enterprise_services.enterprise_year_save(
            actor=None, enterprise=zone.enterprise_a, year=year, revenue=Decimal(revenue)
        )
    return zone


def test_json_output_has_exactly_the_documented_shape(figures):
    _, data = run_json("--year", "2023")
    assert set(data) == {"year", "scope", "indicators"}
    assert data["year"] == 2023
    assert data["scope"] == "测试高新区党工委"
    assert set(data["indicators"]) == {indicator.code for indicator in all_indicators()}
    for code, entry in data["indicators"].items():
        assert set(entry) == {"name", "unit", "value"}, code


def test_json_output_carries_each_indicators_name_and_unit(figures):
    _, data = run_json("--year", "2023")
    for code, (name, unit) in OURS.items():
        assert data["indicators"][code]["name"] == name
        assert data["indicators"][code]["unit"] == unit


def test_json_values_for_the_whole_zone(figures):
    text, data = run_json("--year", "2023")
    values = {code: entry["value"] for code, entry in data["indicators"].items()}
    assert values["orgs.branches"] == 3
    assert values["orgs.party_groups"] == 1
    assert values["members.total"] == 2
    assert values["posts.model_posts"] == 0
    assert values["orgs.standardized_rate"] == 100.0
    assert isinstance(values["orgs.standardized_rate"], float)
    assert values["enterprises.revenue_growth"] == 25.0
    assert isinstance(values["enterprises.revenue_growth"], float)
    assert isinstance(values["members.total"], int)
    assert '"value": 100.0' in text
    assert '"value": 25.0' in text


def test_json_prints_chinese_unescaped(figures):
    text, _ = run_json("--year", "2023")
    assert "党员总数" in text
    assert "\\u" not in text


def test_a_value_that_does_not_exist_is_null(figures):
    text, data = run_json("--year", "2021")
    assert data["indicators"]["enterprises.revenue_growth"]["value"] is None
    assert data["indicators"]["members.total"]["value"] == 2  # joined in 2015
    assert '"value": null' in text


def test_a_rate_without_a_base_is_null(figures):
    make_org("空党委", OrgKind.COMMITTEE, figures.root)
    _, data = run_json("--year", "2023", "--scope", "空党委")
    assert data["scope"] == "空党委"
    assert data["indicators"]["orgs.standardized_rate"]["value"] is None
    assert data["indicators"]["orgs.branches"]["value"] == 0


def test_scope_limits_the_values_to_the_subtree(figures):
    _, data = run_json("--year", "2023", "--scope", "甲企业党委")
    values = {code: entry["value"] for code, entry in data["indicators"].items()}
    assert data["scope"] == "甲企业党委"
    assert values["orgs.branches"] == 2
    assert values["members.total"] == 1
    assert values["enterprises.revenue_growth"] == 25.0
    _, data = run_json("--year", "2023", "--scope", "乙企业党支部")
    assert data["indicators"]["members.total"]["value"] == 1
    assert data["indicators"]["enterprises.revenue_growth"]["value"] is None


def test_an_unknown_scope_is_an_error(figures):
    with pytest.raises(CommandError, match="找不到党组织“不存在党委”"):
        run("--year", "2023", "--scope", "不存在党委", "--json")


def test_an_ambiguous_scope_is_an_error(figures):
    make_org("甲一党支部", OrgKind.BRANCH, figures.root)
    with pytest.raises(CommandError, match="多个"):
        run("--year", "2023", "--scope", "甲一党支部")


def test_the_year_is_required(figures):
    with pytest.raises(CommandError):
        run("--json")


def test_plain_output_lists_every_indicator(figures):
    text = run("--year", "2023")
    lines = text.splitlines()
    assert lines[0] == "2023年 · 测试高新区党工委"
    assert len(lines) == 1 + len(all_indicators())
    members_line = next(line for line in lines if line.startswith("members.total"))
    assert "党员总数：2 名" in members_line
    growth_line = next(line for line in lines if line.startswith("enterprises.revenue_growth"))
    assert "营业收入同比增长：25.0 %" in growth_line


def test_values_follow_the_period_end(figures):
    make_member(figures.branch_a2, joined=datetime.date(2024, 1, 1))
    _, data_2023 = run_json("--year", "2023")
    _, data_2024 = run_json("--year", "2024")
    assert data_2023["indicators"]["members.total"]["value"] == 2
    assert data_2024["indicators"]["members.total"]["value"] == 3
