"""Structured data (every JSONField a back-office page shows) reads as a Chinese table and is
entered in a Chinese form, never as JSON: each rule version's page and form, a standard duty
list, a yearly assessment and the audit log of a rule version, rendered for the users who open
them (the zone administrator; a leader who may only view; the audit administrator)."""

import datetime
import html
import re

import pytest
from django.apps import apps
from django.db import models

from dangjian.audit.models import AuditEntry
from dangjian.core.models import Holiday, RuleSet
from dangjian.core.rules import default_values, registered_rules, rules_for
from dangjian.core.services import config_save
from dangjian.core.structured import DataSpec, data_table
from dangjian.core.testing.english import english_words
from dangjian.members import rules as member_rules
from dangjian.organizations.models import OrgKind
from dangjian.partylife import rules as partylife_rules
from dangjian.partylife.models import StandardDutyList
from dangjian.projects import rules as project_rules
from dangjian.projects import services as project_services
from dangjian.projects.tests.factories import make_cadre, make_project
from dangjian.testing.factories import make_user

pytestmark = pytest.mark.django_db

# every model with structured data and where the back office shows it (a new JSONField must be
# added here, with a test that its pages read in Chinese)
STRUCTURED = {
    "core.RuleSet": "a rule version's page and its form (below)",
    "partylife.StandardDutyList": "the standard duty list's page, for who may edit and who may view",
    "projects.AssessmentRun": "the yearly assessment's page, with its scores",
    "projects.AssessmentScore": "the yearly assessment's page, with its scores",
    "audit.AuditEntry": "the audit entry's table of changes",
    # the star rating's pages: ratings/tests/test_admin.py (check boxes to edit, Chinese names to read)
    "ratings.RubricItem": "the rubric's page, its items' 核查方式 and 带入的系统数据",
    "ratings.Campaign": "the campaign's page, its 参评组织类别 and 参评单位性质",
    "ratings.AssessmentItem": "the assessment's work page, each item's 核查方式",
    "core.Job": "a background job's page: an import's report as a table, a command's output as text "
    "(site/tests/test_jobs.py)",
}


def visible(page: str) -> str:
    """What a person reads: the text without scripts, styles and tags."""
    page = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]*>", " ", page))).strip()


def json_in(page: str, keys=()) -> list[str]:
    """Signs of JSON in what the page shows: '{"' (also with spaces or line breaks between, as a
    highlighter draws it), a list of quoted strings, an escaped character (\\u6dfb), or a stored
    key (record_completeness) instead of its Chinese name."""
    text = visible(page)
    found = re.findall(r"[{\[]\s*[\"']", text)[:3]
    found += re.findall(r"\\u[0-9a-fA-F]{4}", text)[:3]
    found += [key for key in keys if re.search(rf"(?<![\w.]){re.escape(key)}(?![\w])", text)]
    return found


def keys_of(value) -> set[str]:
    """The stored keys (and codes) inside a value, which a page must show in Chinese."""
    found = set()
    if isinstance(value, dict):
        for key, sub in value.items():
            found.add(str(key))
            found |= keys_of(sub)
    elif isinstance(value, list):
        for item in value:
            found |= keys_of(item)
    elif isinstance(value, str) and re.fullmatch(r"[a-z_A-Z]+", value):
        found.add(value)
    return found


def as_shown(response) -> dict:
    """The values of a rule version's form as the page shows them (a box left empty is not sent)."""
    data = {}
    for name, field in response.context["adminform"].form.fields.items():
        if name.startswith("values__") and field.initial not in (None, False):
            data[name] = "on" if field.initial is True else str(field.initial)
    return data


def test_every_structured_field_is_covered_here():
    shown = {
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label != "sample_domain"
        and any(isinstance(f, models.JSONField) for f in model._meta.get_fields())
    }
    assert shown == set(STRUCTURED)


# -- rule versions -----------------------------------------------------------------------------------
RULES = sorted(registered_rules())


@pytest.mark.parametrize("key", RULES)
def test_a_rule_versions_page_shows_its_values_as_a_chinese_table(client, zone_admin, key):
    rule = rules_for(key)
    client.force_login(zone_admin)
    response = client.get(f"/admin/core/ruleset/{rule.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert json_in(page, keys_of(rule.values)) == []
    assert english_words(page, {zone_admin.username}) == []
    assert "<table" in page.split("规则内容", 1)[1]
    assert registered_rules()[key] in visible(page)


@pytest.mark.parametrize("key", RULES)
def test_a_new_rule_version_is_entered_in_a_chinese_form_starting_from_the_version_in_force(
    client, zone_admin, key
):
    current = rules_for(key)
    client.force_login(zone_admin)
    response = client.get(f"/admin/core/ruleset/add/?key={key}")
    assert response.status_code == 200
    page = response.content.decode()
    assert json_in(page, keys_of(current.values)) == []
    assert english_words(page, {zone_admin.username}) == []
    assert 'name="values"' not in page  # no JSON box
    # the form as shown, submitted unchanged, keeps the same values in a new version
    data = {"key": key, "effective_from": "2027-01-01", "note": "沿用", **as_shown(response)}
    response = client.post(f"/admin/core/ruleset/add/?key={key}", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    newer = RuleSet.objects.get(key=key, version=current.version + 1)
    assert newer.values == current.values
    assert newer.effective_from == datetime.date(2027, 1, 1)


def test_the_new_version_page_first_asks_which_rule(client, zone_admin):
    client.force_login(zone_admin)
    response = client.get("/admin/core/ruleset/add/")
    assert response.status_code == 200
    page = response.content.decode()
    for key, name in registered_rules().items():
        assert name in page and f"?key={key}" in page
    assert english_words(page, {zone_admin.username}) == []


def test_the_list_of_rule_versions_names_the_rules_in_chinese(client, zone_admin):
    for key in RULES:
        rules_for(key)
    client.force_login(zone_admin)
    page = client.get("/admin/core/ruleset/").content.decode()
    for name in registered_rules().values():
        assert name in visible(page)
    assert [key for key in RULES if key in visible(page)] == []
    assert english_words(page, {zone_admin.username}) == []


def test_dues_rates_are_entered_as_percentages_and_a_bracket_can_be_added(client, zone_admin):
    rules_for(member_rules.DUES)
    client.force_login(zone_admin)
    url = f"/admin/core/ruleset/add/?key={member_rules.DUES}"
    response = client.get(url)
    form = response.context["adminform"].form
    assert form.fields["values__employed__0__1"].label == "在职党员（按税后月收入） · 第 1 档 · 交纳比例（%）"
    assert form.fields["values__employed__0__1"].initial == 0.5
    data = {"key": member_rules.DUES, "effective_from": "2027-01-01", "note": "", **as_shown(response)}
    # 3000 元 and below 0.4%, a new bracket up to 4000 at 0.8%, the rest as before
    data.update({"values__employed__0__1": "0.4"})
    rows = [("3000", "0.4"), ("4000", "0.8"), ("5000", "1"), ("10000", "1.5"), ("", "2")]
    for index, (bound, rate) in enumerate(rows):
        data[f"values__employed__{index}__0"], data[f"values__employed__{index}__1"] = bound, rate
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    values = RuleSet.objects.get(key=member_rules.DUES, version=2).values
    assert values["employed"] == [
        ["3000", "0.004"],
        ["4000", "0.008"],
        ["5000", "0.01"],
        ["10000", "0.015"],
        [None, "0.02"],
    ]
    assert values["retired"] == default_values(member_rules.DUES)["retired"]


def test_dues_brackets_must_rise_and_only_the_last_may_have_no_bound(client, zone_admin):
    rules_for(member_rules.DUES)
    client.force_login(zone_admin)
    url = f"/admin/core/ruleset/add/?key={member_rules.DUES}"
    data = {"key": member_rules.DUES, "effective_from": "2027-01-01", "note": "", **as_shown(client.get(url))}
    data["values__employed__1__0"] = ""  # the second bracket without its bound
    # pensions: up to 8000, then up to 6000 (falling), then the rest
    data["values__retired__0__0"] = "8000"
    data["values__retired__1__0"], data["values__retired__1__1"] = "6000", "1"
    data["values__retired__2__1"] = "1.5"
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "在职党员的最后一档不填收入上限（含以上全部收入），其余各档都要填" in page
    assert "离退休党员各档的收入上限应逐档升高" in page
    assert RuleSet.objects.filter(key=member_rules.DUES).count() == 1


def test_a_version_the_rule_refuses_shows_the_reason_in_chinese_and_keeps_nothing(client, zone_admin):
    rules_for(project_rules.ASSESSMENT)
    client.force_login(zone_admin)
    data = {"key": project_rules.ASSESSMENT, "effective_from": "2027-01-01", "note": ""}
    weights = {"record_completeness": 30, "problems_on_time": 30, "milestones_met": 20, "satisfaction": 10}
    data.update({f"values__weights__{part}": str(weight) for part, weight in weights.items()})
    response = client.post(f"/admin/core/ruleset/add/?key={project_rules.ASSESSMENT}", data)
    assert response.status_code == 200
    assert "各项权重之和应为 100（现为 90）" in response.content.decode()
    assert RuleSet.objects.filter(key=project_rules.ASSESSMENT).count() == 1


def test_a_quorum_version_takes_its_fractions_and_mode_from_choices(client, zone_admin):
    rules_for(partylife_rules.QUORUM)
    client.force_login(zone_admin)
    url = f"/admin/core/ruleset/add/?key={partylife_rules.QUORUM}"
    form = client.get(url).context["adminform"].form
    assert form.fields["values__vote__2"].label == "表决 · 方式"
    assert list(form.fields["values__vote__2"].choices) == [("more_than", "超过"), ("at_least", "达到")]
    data = {
        "key": partylife_rules.QUORUM,
        "effective_from": "2027-01-01",
        "note": "",
        "values__vote__0": "2",
        "values__vote__1": "3",
        "values__vote__2": "at_least",
        "values__election__0": "4",
        "values__election__1": "5",
        "values__election__2": "at_least",
    }
    assert client.post(url, data).status_code == 302
    assert RuleSet.objects.get(key=partylife_rules.QUORUM, version=2).values == {
        "vote": [2, 3, "at_least"],
        "election": [4, 5, "at_least"],
    }


# -- a standard duty list ----------------------------------------------------------------------------
@pytest.fixture
def standard():
    return StandardDutyList.objects.create(
        title="党支部年度责任清单",
        year=2026,
        org_kind=OrgKind.BRANCH,
        items=[
            {"title": "召开专题组织生活会", "deadline": "2026-06-30", "led_by_secretary": True},
            {"title": "开展“七一”主题党日", "deadline": "2026-07-01", "led_by_secretary": False},
        ],
    )


def test_a_standard_duty_list_reads_as_a_table_for_who_may_only_view_it(client, zone, standard):
    leader = make_user("leader", organization=zone.root)
    client.force_login(leader)
    response = client.get(f"/admin/partylife/standarddutylist/{standard.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert json_in(page, keys_of(standard.items)) == []
    assert english_words(page, {leader.username}) == []
    text = visible(page)
    assert "事项 完成时限 书记领办" in text
    assert "召开专题组织生活会 2026-06-30 是" in text and "开展“七一”主题党日 2026-07-01 否" in text


def test_a_standard_duty_list_is_edited_as_lines_by_the_zone_administrator(client, zone_admin, standard):
    client.force_login(zone_admin)
    response = client.get(f"/admin/partylife/standarddutylist/{standard.pk}/change/")
    page = response.content.decode()
    assert json_in(page, keys_of(standard.items)) == []
    assert "召开专题组织生活会，2026-06-30，是" in page


# -- the yearly assessment ---------------------------------------------------------------------------
def test_the_yearly_assessment_shows_its_weights_and_each_scores_parts_in_chinese(client, zone_admin):
    cadre = make_cadre("王考核")
    make_project("考核项目", cadres=[cadre])
    run = project_services.assessment_run(actor=None, year=2025)
    client.force_login(zone_admin)
    response = client.get(f"/admin/projects/assessmentrun/{run.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    keys = keys_of(run.weights) | keys_of(run.scores.get().components)
    assert json_in(page, keys) == []
    assert english_words(page, {zone_admin.username}) == []
    assert "计分权重" in visible(page)
    # and the rule version it used, linked from it
    rule_page = client.get(f"/admin/core/ruleset/{run.rule_id}/change/").content.decode()
    assert "日纪实完整率" in visible(rule_page) and json_in(rule_page, keys) == []


# -- the audit log -----------------------------------------------------------------------------------
def test_the_audit_entry_of_a_rule_version_shows_its_values_as_a_table(client, zone, zone_admin):
    client.force_login(zone_admin)
    rules_for(partylife_rules.FREQUENCY)
    data = {"key": partylife_rules.FREQUENCY, "effective_from": "2027-01-01", "note": "党小组会改为每季度"}
    for kind, every in default_values(partylife_rules.FREQUENCY).items():
        data[f"values__{kind}"] = "quarter" if kind == "group_meeting" else every
    assert client.post(f"/admin/core/ruleset/add/?key={partylife_rules.FREQUENCY}", data).status_code == 302
    newer = RuleSet.objects.get(key=partylife_rules.FREQUENCY, version=2)
    entry = AuditEntry.objects.get(
        action=AuditEntry.Action.CREATE, object_id=str(newer.pk), content_type__model="ruleset"
    )
    auditor = make_user("audit_admin")
    client.force_login(auditor)
    response = client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert json_in(page, keys_of(newer.values)) == []
    assert "党小组会 每季度一次" in visible(page)


def test_an_audited_yes_or_no_reads_in_chinese(client, zone):
    holiday = config_save(
        actor=None, instance=Holiday(day=datetime.date(2026, 10, 10), name="调休", is_workday=True)
    )
    entry = AuditEntry.objects.get(
        object_id=str(holiday.pk), action=AuditEntry.Action.CREATE, content_type__model="holiday"
    )
    client.force_login(make_user("audit_admin"))
    page = client.get(f"/admin/audit/auditentry/{entry.pk}/change/").content.decode()
    assert json_in(page) == []
    assert "调休上班 是" in visible(page)
    assert "True" not in visible(page)


# -- the table itself --------------------------------------------------------------------------------
def test_a_table_names_its_parts_formats_its_values_and_escapes_the_text():
    spec = DataSpec(
        labels={"rate": "比例", "kinds": "类别", "kinds.*.name": "名称", "pair.0": "分子", "pair.1": "分母"},
        choices={"mode": {"more_than": "超过"}},
        percent=frozenset({"rate"}),
    )
    table = str(
        data_table(
            {
                "rate": "0.015",
                "mode": "more_than",
                "kinds": [{"name": "<b>学生</b>"}],
                "pair": [1, 2],
                "flag": False,
                "none": None,
            },
            spec,
        )
    )
    text = visible(table)
    assert "比例 1.5%" in text and "mode 超过" in text and "名称 <b>学生</b>" in text
    assert "分子 1 分母 2" in text and "flag 否" in text and "none —" in text
    assert "&lt;b&gt;" in table  # data is escaped
