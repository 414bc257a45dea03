"""The back office of investment projects: the list and the change page open for the zone
administrator, the leader (read-only, no steps) and a team member (their team's projects only);
a lead recorded on the page warns of its possible duplicates; each step is taken from the page and
a refused one says why in Chinese and changes nothing; follow-ups and funds in place are added and
deleted through the page; the key project carried from it links back."""

import datetime
import io
from decimal import Decimal
from html.parser import HTMLParser

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.core.testing.english import english_words
from dangjian.investment import services
from dangjian.investment.models import FollowUp, FundTranche, InvestmentProject, PersonRole, Stage
from dangjian.projects.models import Project
from dangjian.testing.factories import make_user

from . import factories as f

pytestmark = pytest.mark.django_db

SIGNED_ON = datetime.date(2025, 3, 1)


@pytest.fixture
def leader(zone):
    return make_user("leader", organization=zone.root)


@pytest.fixture
def teams(zone):
    return f.team("第一招商小分队"), f.team("第二招商小分队")


@pytest.fixture
def member(teams):
    """A member of the first team: their account reaches that team's projects."""
    person = f.person("李队员", role=PersonRole.MEMBER, team=teams[0], appointed_on=datetime.date(2024, 1, 1))
    return person.user


def url(name, *args):
    return reverse(f"admin:{name}", args=args)


def change_url(project):
    return url("investment_investmentproject_change", project.pk)


def step_url(project, step):
    return url("investment_project_step", project.pk, step)


def page(client, address, status=200):
    """The page at `address` (its text when it opens: no English on it)."""
    response = client.get(address)
    assert response.status_code == status, (address, response.status_code)
    if status != 200:
        return response
    text = response.content.decode()
    assert not english_words(text), (address, english_words(text))
    return text


class _Form(HTMLParser):
    """The values the change page's form sends as a browser would (its inputs, selects and text
    areas; no file, no unchecked box)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data, self._select, self._textarea, self._in_form = {}, None, None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data.lstrip("\n") if not self.data[self._textarea] else data


def form_data(client, address, **values):
    parser = _Form()
    parser.feed(client.get(address).content.decode())
    data = {k: v for k, v in parser.data.items() if "__prefix__" not in k}
    data.update(values)
    return data


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def stage_of(project):
    project.refresh_from_db()
    return project.stage


# -- the list -------------------------------------------------------------------------------------
def test_the_list_shows_each_project_with_its_funds_and_duplicate_marker(client, zone_admin, teams):
    signed = f.signed(investor="甲制药集团有限公司", team=teams[0], cluster=f.cluster())
    services.tranche_add(actor=None, project=signed, received_on=SIGNED_ON, amount=Decimal("300.5"))
    services.tranche_add(
        actor=None, project=signed, received_on=datetime.date(2025, 4, 1), amount=Decimal("1000")
    )
    dup = f.project("年产千吨原料药生产项目")  # a near-identical name
    client.force_login(zone_admin)
    text = page(client, url("investment_investmentproject_changelist"))
    for header in (
        "项目名称",
        "投资方",
        "所属产业",
        "阶段",
        "签约日期",
        "签约金额",
        "到位资金",
        "小分队",
        "跟进人",
        "最近跟进日期",
        "疑似重复",
    ):
        assert header in text, header
    assert "1,300.5" in text and "10,000" in text and "甲制药集团有限公司" in text and "生物医药" in text
    assert dup.name in text and "导出 Excel" in text and "打印" in text
    listed = client.get(url("investment_investmentproject_changelist")).context["cl"].result_list
    marks = {p.name: (p.has_duplicates, p.funds_sum) for p in listed}
    assert marks[signed.name] == (True, Decimal("1300.5")) and marks[dup.name] == (True, None)
    alone = f.project("园区配套酒店项目", investor="丁文旅")
    listed = client.get(url("investment_investmentproject_changelist")).context["cl"].result_list
    assert {p.name: p.has_duplicates for p in listed}[alone.name] is False


def test_the_list_filters_by_signing_year_at_the_year_s_edges_and_searches(client, zone_admin):
    last_day = f.signed("甲项目", on=datetime.date(2025, 12, 31))
    first_day = f.signed("乙项目", on=datetime.date(2026, 1, 1))
    lead = f.project("丙项目", investor="丙投资有限公司")
    client.force_login(zone_admin)
    changelist = url("investment_investmentproject_changelist")

    def names(query):
        response = client.get(changelist + query)
        assert response.status_code == 200
        return {p.name for p in response.context["cl"].result_list}

    assert names("?signed_year=2025") == {last_day.name}
    assert names("?signed_year=2026") == {first_day.name}
    assert names("?signed_year=abc") == set()
    assert names("?stage=lead") == {lead.name}
    assert names("?q=丙投资") == {lead.name}
    assert "2025年" in page(client, changelist) and "签约年度" in page(client, changelist)


def test_the_list_exports_to_excel_with_its_funds(client, zone_admin):
    signed = f.signed()
    services.tranche_add(actor=None, project=signed, received_on=SIGNED_ON, amount=Decimal("300.5"))
    client.force_login(zone_admin)
    response = client.get(url("investment_investmentproject_export"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    header = next(r for r in rows if "项目名称" in r)
    row = next(r for r in rows if signed.name in r)
    assert "300.5" in str(row[header.index("到位资金（万元）")])


# -- add and change -------------------------------------------------------------------------------
def lead_data(**values):
    return {
        "name": "新材料产业园项目",
        "investor": "",
        "recorded_on": "2025-05-06",
        "content": "",
        "note": "",
        **values,
    }


def test_a_lead_recorded_on_the_page_warns_of_its_possible_duplicates_with_links(client, zone_admin, teams):
    old = f.project("锂电池正极材料项目", investor="乙新能源股份有限公司")
    client.force_login(zone_admin)
    text = page(client, url("investment_investmentproject_add"))
    assert "转入" not in text and "阶段与进展" not in text
    response = client.post(
        url("investment_investmentproject_add"),
        lead_data(
            name="动力电池回收项目", investor="乙新能源", team=str(teams[0].pk), cluster=str(f.cluster().pk)
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    new = InvestmentProject.objects.get(name="动力电池回收项目")
    assert new.stage == Stage.LEAD and new.team == teams[0] and list(new.possible_duplicates.all()) == [old]
    warning = next(m for m in said(response) if "可能与已有项目重复" in m)
    assert f'href="{change_url(old)}"' in warning and old.name in warning
    text = page(client, change_url(new))
    assert "疑似重复项目" in text and f'href="{change_url(old)}"' in text


def test_a_lead_without_duplicates_gets_no_warning_and_a_future_day_is_refused(client, zone_admin):
    client.force_login(zone_admin)
    response = client.post(url("investment_investmentproject_add"), lead_data())
    assert response.status_code == 302
    assert not [m for m in said(response) if "重复" in m]
    response = client.post(
        url("investment_investmentproject_add"), lead_data(name="另一个项目", recorded_on="2099-01-01")
    )
    assert response.status_code in (200, 302)
    assert not InvestmentProject.objects.filter(name="另一个项目").exists()
    assert "线索日期不能晚于今天" in response.content.decode() + "".join(said(response))


def test_the_change_page_saves_particulars_and_shows_the_stage_read_only(client, zone_admin):
    p = f.signed()
    client.force_login(zone_admin)
    text = page(client, change_url(p))
    for label in (
        "阶段与进展",
        "签约日期",
        "2025-03-01",
        "签约金额",
        "到位资金合计",
        "跟进记录",
        "到位资金",
        "项目进展",
        "登记线索",
    ):
        assert label in text, label
    data = form_data(client, change_url(p), investor="甲制药", stage="lead", signed_amount="1")
    response = client.post(change_url(p), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    p.refresh_from_db()
    assert p.investor == "甲制药" and p.stage == Stage.SIGNED and p.signed_amount == Decimal("10000")


# -- who sees what --------------------------------------------------------------------------------
def test_the_leader_reads_every_project_without_steps(client, leader, teams):
    p = f.signed(team=teams[1])
    client.force_login(leader)
    assert p.name in page(client, url("investment_investmentproject_changelist"))
    text = page(client, change_url(p))
    assert p.name in text and "/step/" not in text and "转入重点项目" not in text.split("阶段与进展")[0]
    assert client.get(step_url(p, "advance")).status_code == 403
    assert (
        client.post(step_url(p, "terminate"), {"on": "2025-04-01", "reason": "投资方撤回"}).status_code == 403
    )
    assert stage_of(p) == Stage.SIGNED


def test_a_team_member_reaches_only_their_team_s_projects_and_cannot_carry(client, member, teams):
    mine = f.signed("本队项目", team=teams[0])
    theirs = f.project("他队项目", team=teams[1])
    client.force_login(member)
    text = page(client, url("investment_investmentproject_changelist"))
    assert mine.name in text and theirs.name not in text
    text = page(client, change_url(mine))
    assert step_url(mine, "advance") in text and step_url(mine, "terminate") in text
    assert step_url(mine, "carry") not in text
    assert client.get(change_url(theirs)).status_code == 404
    assert client.get(step_url(theirs, "advance")).status_code == 404
    assert (
        client.post(step_url(theirs, "terminate"), {"on": "2025-04-01", "reason": "撤回"}).status_code == 404
    )
    assert client.post(step_url(mine, "carry"), {"go": "1"}).status_code == 403
    mine.refresh_from_db()
    assert stage_of(theirs) == Stage.LEAD and mine.key_project_id is None
    # the member takes their own project's step
    response = client.post(step_url(mine, "advance"), {"on": "2025-06-01"})
    assert response.status_code == 302 and stage_of(mine) == Stage.STARTED


def test_a_team_member_records_a_lead_for_their_team_not_another(client, member, teams):
    client.force_login(member)
    response = client.post(url("investment_investmentproject_add"), lead_data(team=str(teams[0].pk)))
    assert (
        response.status_code == 302
        and InvestmentProject.objects.get(name="新材料产业园项目").team == teams[0]
    )
    response = client.post(
        url("investment_investmentproject_add"), lead_data(name="越权项目", team=str(teams[1].pk))
    )
    assert response.status_code == 200 and not InvestmentProject.objects.filter(name="越权项目").exists()
    # a lead of no team is outside the member's reach: refused, not saved, no server error
    response = client.post(url("investment_investmentproject_add"), lead_data(name="无队项目"))
    assert response.status_code == 403 and not InvestmentProject.objects.filter(name="无队项目").exists()


# -- the steps ------------------------------------------------------------------------------------
def test_a_lead_is_taken_through_each_stage_from_its_page(client, zone_admin):
    p = f.project(recorded_on=datetime.date(2025, 1, 6))
    client.force_login(zone_admin)
    text = page(client, change_url(p))
    assert (
        "转入洽谈" in text and "终止" in text and "恢复跟进" not in text and step_url(p, "carry") not in text
    )
    form = page(client, step_url(p, "advance"))
    assert "转入阶段" in form and "签约金额" not in form
    assert client.post(step_url(p, "advance"), {"on": "2025-01-06"}).status_code == 302
    assert stage_of(p) == Stage.NEGOTIATING and p.negotiating_on == datetime.date(2025, 1, 6)
    assert "转入签约" in page(client, change_url(p))
    assert "签约金额" in page(client, step_url(p, "advance"))
    response = client.post(step_url(p, "advance"), {"on": "2025-03-01", "signed_amount": "12000.5"})
    assert response.status_code == 302 and "变更阶段已记录" in "".join(said(response))
    assert stage_of(p) == Stage.SIGNED and p.signed_amount == Decimal("12000.5")
    assert "转入开工" in page(client, change_url(p))
    client.post(step_url(p, "advance"), {"on": "2025-06-01"})
    assert stage_of(p) == Stage.STARTED
    client.post(step_url(p, "advance"), {"on": "2025-12-31"})
    assert stage_of(p) == Stage.PRODUCING and p.producing_on == datetime.date(2025, 12, 31)
    text = page(client, change_url(p))
    assert step_url(p, "advance") not in text and step_url(p, "terminate") not in text
    assert "投产" in text and "签约金额 12000.5 万元" in text


def test_a_project_is_terminated_with_its_reason_and_resumed(client, zone_admin):
    p = f.project()
    services.project_advance(actor=None, project=p, stage=Stage.NEGOTIATING, on=datetime.date(2025, 2, 1))
    client.force_login(zone_admin)
    assert "终止原因" in page(client, step_url(p, "terminate"))
    assert (
        client.post(step_url(p, "terminate"), {"on": "2025-03-01", "reason": "投资方转投外省"}).status_code
        == 302
    )
    p.refresh_from_db()
    assert (p.stage, p.termination_reason) == (Stage.TERMINATED, "投资方转投外省")
    text = page(client, change_url(p))
    assert "恢复跟进" in text and step_url(p, "advance") not in text and step_url(p, "terminate") not in text
    assert client.post(step_url(p, "resume"), {"on": "2025-03-01", "note": "重新接洽"}).status_code == 302
    assert stage_of(p) == Stage.NEGOTIATING and p.terminated_on is None


@pytest.mark.parametrize(
    "step,data,message",
    [
        ("advance", {"on": "2025-02-27", "signed_amount": "100"}, "日期不能早于上一阶段的日期 2025-02-28"),
        ("advance", {"on": "2025-03-01"}, "签约须填写签约金额（万元）"),
        ("advance", {"on": "2025-03-01", "signed_amount": "0"}, "签约金额应大于 0"),
        ("advance", {"on": "2099-03-01", "signed_amount": "100"}, "不能晚于"),
        ("terminate", {"on": "2025-03-01", "reason": " "}, "终止须填写原因"),
        ("resume", {"on": "2025-03-01"}, "只有已终止的项目可以恢复"),
    ],
)
def test_a_refused_step_says_why_in_chinese_and_changes_nothing(client, zone_admin, step, data, message):
    p = f.project(recorded_on=datetime.date(2025, 2, 1))
    services.project_advance(actor=None, project=p, stage=Stage.NEGOTIATING, on=datetime.date(2025, 2, 28))
    events = p.events.count()
    client.force_login(zone_admin)
    response = client.post(step_url(p, step), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert message in text and not english_words(text)
    p.refresh_from_db()
    assert (p.stage, p.signed_on, p.signed_amount, p.terminated_on) == (Stage.NEGOTIATING, None, None, None)
    assert p.events.count() == events


def test_the_day_of_the_previous_stage_itself_is_accepted(client, zone_admin):
    p = f.project(recorded_on=datetime.date(2025, 2, 1))
    services.project_advance(actor=None, project=p, stage=Stage.NEGOTIATING, on=datetime.date(2025, 2, 28))
    client.force_login(zone_admin)
    client.post(step_url(p, "advance"), {"on": "2025-02-28", "signed_amount": "100"})
    assert stage_of(p) == Stage.SIGNED and p.signed_on == datetime.date(2025, 2, 28)


def test_a_step_past_the_pipeline_s_end_is_refused(client, zone_admin):
    p = f.project()
    services.project_terminate(actor=None, project=p, on=datetime.date(2025, 2, 1), reason="撤回")
    client.force_login(zone_admin)
    response = client.post(step_url(p, "advance"), {"on": "2025-03-01"})
    assert response.status_code == 200 and "项目已终止，不能再变更阶段" in response.content.decode()
    assert stage_of(p) == Stage.TERMINATED
    assert client.get(step_url(p, "nonsense")).status_code == 403
    assert client.get(url("investment_project_step", 999999, "advance")).status_code == 404


def test_a_signed_project_is_carried_into_the_key_projects_and_each_page_links_the_other(client, zone_admin):
    p = f.signed(investor="甲制药集团")
    lead = f.project("未签约项目")
    client.force_login(zone_admin)
    assert step_url(lead, "carry") not in page(client, change_url(lead))
    response = client.post(step_url(lead, "carry"), {"go": "1"})
    assert response.status_code == 200 and "签约后才能转入重点项目" in response.content.decode()
    assert "转入重点项目" in page(client, change_url(p))
    assert page(client, step_url(p, "carry"))
    response = client.post(step_url(p, "carry"), {"go": "1"})
    assert response.status_code == 302
    p.refresh_from_db()
    key = p.key_project
    assert key is not None and key.name == p.name and key.owner_name == "甲制药集团"
    key_url = url("projects_project_change", key.pk)
    text = page(client, change_url(p))
    assert f'href="{key_url}"' in text and step_url(p, "carry") not in text
    text = page(client, key_url)
    assert "来源招商项目" in text and f'href="{change_url(p)}"' in text
    # a second carry is refused (the page offers none; sent anyway, the service says why)
    response = client.post(step_url(p, "carry"), {"go": "1"})
    assert "已转入重点项目" in response.content.decode() and Project.objects.filter(name=p.name).count() == 1


def test_a_key_project_not_carried_has_no_source(client, zone_admin):
    from dangjian.projects.tests.factories import make_project

    key = make_project("园区道路改造工程")
    client.force_login(zone_admin)
    text = page(client, url("projects_project_change", key.pk))
    assert "来源招商项目" not in text


def test_the_leader_sees_the_link_back_on_the_key_project(client, leader):
    p = f.signed()
    services.project_carry(actor=None, project=p)
    client.force_login(leader)
    text = page(client, url("projects_project_change", p.key_project.pk))
    assert "来源招商项目" in text and f'href="{change_url(p)}"' in text


# -- the child records ----------------------------------------------------------------------------
def test_follow_ups_are_added_and_deleted_from_the_page(client, zone_admin):
    p = f.project(recorded_on=datetime.date(2025, 1, 6))
    client.force_login(zone_admin)
    data = form_data(
        client,
        change_url(p),
        **{
            "follow_ups-TOTAL_FORMS": "1",
            "follow_ups-0-on": "2025-01-06",
            "follow_ups-0-way": "上门",
            "follow_ups-0-content": "与投资方面谈用地需求",
            "follow_ups-0-next_step": "报送用地方案",
            "follow_ups-0-project": str(p.pk),
        },
    )
    response = client.post(change_url(p), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    follow_up = FollowUp.objects.get(project=p)
    assert follow_up.by == zone_admin and follow_up.content == "与投资方面谈用地需求"
    p.refresh_from_db()
    assert p.last_activity_on == datetime.date(2025, 1, 6)
    text = page(client, change_url(p))
    assert "与投资方面谈用地需求" in text and "报送用地方案" in text
    data = form_data(client, change_url(p), **{"follow_ups-0-DELETE": "on"})
    assert client.post(change_url(p), data).status_code == 302
    assert not FollowUp.objects.filter(project=p).exists()


def test_a_follow_up_before_the_lead_is_refused_and_nothing_is_saved(client, zone_admin):
    p = f.project(recorded_on=datetime.date(2025, 1, 6))
    client.force_login(zone_admin)
    data = form_data(
        client,
        change_url(p),
        investor="改了的投资方",
        **{
            "follow_ups-TOTAL_FORMS": "1",
            "follow_ups-0-on": "2025-01-05",
            "follow_ups-0-content": "电话联系",
            "follow_ups-0-project": str(p.pk),
        },
    )
    response = client.post(change_url(p), data)
    assert "跟进日期不能早于线索日期 2025-01-06" in "".join(said(response))
    p.refresh_from_db()
    assert not FollowUp.objects.filter(project=p).exists() and p.investor == ""


def tranche_row(p, **values):
    return {
        "tranches-TOTAL_FORMS": "1",
        "tranches-0-received_on": "2025-03-01",
        "tranches-0-amount": "500",
        "tranches-0-evidence_note": "银行回单",
        "tranches-0-project": str(p.pk),
        **values,
    }


def test_funds_in_place_are_added_with_evidence_and_totalled(client, zone_admin, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    p = f.signed(on=SIGNED_ON)
    services.tranche_add(actor=None, project=p, received_on=datetime.date(2025, 4, 1), amount=Decimal("1000"))
    client.force_login(zone_admin)
    data = form_data(
        client,
        change_url(p),
        **tranche_row(
            p,
            **{
                "tranches-TOTAL_FORMS": "2",
                "tranches-1-received_on": "2025-03-01",
                "tranches-1-amount": "500",
                "tranches-1-evidence_note": "银行回单",
                "tranches-1-project": str(p.pk),
            },
        ),
    )
    data["tranches-1-evidence"] = SimpleUploadedFile("回单.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(change_url(p), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    added = FundTranche.objects.get(project=p, received_on=SIGNED_ON)
    assert added.amount == Decimal("500") and added.evidence.name.endswith(".pdf")
    assert p.funds_total == Decimal("1500")
    text = page(client, change_url(p))
    assert "1,500" in text and "银行回单" in text and "资金到位" in text
    # deleted through the page
    data = form_data(client, change_url(p), **{"tranches-0-DELETE": "on"})
    assert client.post(change_url(p), data).status_code == 302
    assert list(FundTranche.objects.filter(project=p).values_list("amount", flat=True)) == [Decimal("1000")]


def test_funds_before_the_signing_day_are_refused_and_on_it_accepted(client, zone_admin):
    p = f.signed(on=SIGNED_ON)
    client.force_login(zone_admin)
    data = form_data(client, change_url(p), **tranche_row(p, **{"tranches-0-received_on": "2025-02-28"}))
    response = client.post(change_url(p), data)
    assert "到位日期不能早于签约日期 2025-03-01" in "".join(said(response))
    assert not p.tranches.exists()
    data = form_data(client, change_url(p), **tranche_row(p))
    assert client.post(change_url(p), data).status_code == 302
    assert p.funds_total == Decimal("500")


def test_a_lead_offers_no_funds_row_and_the_leader_none_at_all(client, zone_admin, leader):
    p = f.project()
    client.force_login(zone_admin)
    response = client.get(change_url(p))
    formsets = {fs.formset.prefix: fs for fs in response.context["inline_admin_formsets"]}
    assert formsets["follow_ups"].has_add_permission and not formsets["tranches"].has_add_permission
    client.force_login(leader)
    response = client.get(change_url(p))
    assert not any(fs.has_add_permission for fs in response.context["inline_admin_formsets"])
