"""The demo zone's star rating (评星晋级·争创双强), as the seed article tells it: last year's
campaign finished and named — 30 non-public enterprise party organizations, 70% of them four or
five stars, 香菊 and 天士力 the two five-star brands — with one objection answered in its 公示;
this year's campaign in self-assessment, a few filed and one returned; and a few results of 2023
imported from the 评星结果 ledger, so the stars' history shows movement.

The demo tree has only 11 non-public organizations; the loader adds 19 small enterprise branches
(each with a few members and its secretary), before party life and the dues so that their
meetings and dues are made with the others', and the campaign covers 30, as the seed says.
Everything goes through the services, with the dates on which each step was taken."""

import datetime
from decimal import Decimal

from dangjian.core.demo import DemoPart, demo_date
from dangjian.core.registry import demo_loader
from dangjian.members.demo import new_member
from dangjian.members.models import MemberCategory
from dangjian.organizations import services as org_services
from dangjian.organizations.demo import ROOT_NAME
from dangjian.organizations.models import OrgKind, UnitNature

from . import services
from .default_rubric import NAME as RUBRIC_NAME
from .models import CheckMethod, Rubric

LAST_YEAR, THIS_YEAR = 2025, 2026
D = datetime.date

# the small enterprise branches the loader adds: name, founded, members; their shares below
SMALL_BRANCHES = [
    ("商洛秦药生物科技有限公司党支部", "2016-07-01", 5),
    ("商洛华盛锂电材料有限公司党支部", "2019-04-01", 6),
    ("陕西商山电子科技有限公司党支部", "2018-06-01", 4),
    ("商洛金峡绿色食品有限公司党支部", "2017-09-01", 4),
    ("商洛鹤城智能装备有限公司党支部", "2020-05-01", 5),
    ("商洛凤冠光电科技有限公司党支部", "2019-11-01", 4),
    ("陕西秦岭中药材科技有限公司党支部", "2016-03-01", 6),
    ("商洛宏远物流有限公司党支部", "2018-12-01", 3),
    ("商洛洛源新型建材有限公司党支部", "2017-05-01", 5),
    ("商洛天蓝环保科技有限公司党支部", "2021-03-01", 4),
    ("商洛山阳钒钛科技有限公司党支部", "2016-10-01", 7),
    ("商洛鼎新电子材料有限公司党支部", "2020-08-01", 4),
    ("陕西商洛软件园运营有限公司党支部", "2021-06-01", 3),
    ("商洛润泽生态农业有限公司党支部", "2019-07-01", 3),
    ("商洛银河精密制造有限公司党支部", "2022-04-01", 4),
    ("商洛恒达汽车零部件有限公司党支部", "2020-10-01", 5),
    ("商洛茶源茶业有限公司党支部", "2018-04-01", 3),
    ("商洛文旅数字科技有限公司党支部", "2022-09-01", 3),
    ("商洛丹江源饮品有限公司党支部", "2021-11-01", 3),
]

# last year's review, as a share of each item's points: ≥ .90 with a brand is five stars, then
# ≥ .80 four, ≥ .70 three, ≥ .60 two (the default rubric's lines), away from the lines
FIVE = {"陕西香菊药业集团党委": Decimal("0.96"), "陕西天士力植物药业有限责任公司党支部": Decimal("0.93")}
FOUR = [
    "香菊集团生产党支部",
    "香菊集团研发党支部",
    "香菊集团营销党支部",
    "秦岭云计算大数据中心党支部",
    "陕西商洛国峰水产业园党支部",
    "商洛盘龙新材料科技有限公司党支部",
    "创业创新示范园联合党支部",  # has a brand, but scores under the five-star line
    *(name for name, _, _ in SMALL_BRANCHES[:12]),
]
THREE = [
    "商洛比亚迪实业有限公司党支部",  # four in 2023: one step down
    "陕西海恩电池科技有限公司党支部",  # two in 2023: one step up
    *(name for name, _, _ in SMALL_BRANCHES[12:17]),
]
TWO = [name for name, _, _ in SMALL_BRANCHES[17:]]

# results of 2023 made before Dangjian, imported from the 评星结果 ledger: (stars, score)
RESULTS_2023 = {
    "陕西香菊药业集团党委": (5, Decimal("93.5")),
    "陕西天士力植物药业有限责任公司党支部": (4, Decimal("87.0")),
    "商洛比亚迪实业有限公司党支部": (4, Decimal("82.5")),
    "陕西海恩电池科技有限公司党支部": (2, Decimal("64.0")),
    "香菊集团生产党支部": (4, Decimal("85.0")),
}

SELF_NOTES = [
    "按期召开支委会、党员大会和党小组会，党课由书记带头讲授，会议记录完整。",
    "党员先锋岗、责任区覆盖主要车间和班组，党员在生产一线发挥带头作用。",
    "年度营业收入、纳税和就业保持增长，党建工作与生产经营同部署同考核。",
    "建立党组织与工会、共青团联动机制，职工权益保障和劳动关系和谐稳定。",
]
REVIEW_NOTES = [
    "查阅会议记录和台账，情况属实。",
    "实地查看党员活动室和示范岗，座谈了解党员作用发挥情况。",
    "台账个别记录不够规范，已当场指出。",
]


def _rows(assessment, share, key, notes=(), rng=None):
    """Each item's score at `share` of its points, with a note for some."""
    rows = []
    for index, entry in enumerate(assessment.items.select_related("item")):
        row = {
            "item": entry.pk,
            key: min(entry.item.points, entry.item.points * share).quantize(Decimal("0.1")),
        }
        if notes and rng is not None and rng.random() < 0.35:
            row[key.replace("score", "note")] = notes[index % len(notes)]
        rows.append(row)
    return rows


class RatingsLoader(DemoPart):
    def load(self):
        self.orgs = self.zone.shared["orgs"]
        self.rubric = Rubric.objects.filter(name=RUBRIC_NAME).order_by("version").first()
        self.imported()
        self.last_year()
        self.this_year()
        self.zone.say("评星晋级：2023 年导入结果、2025 年已命名的活动、2026 年自评申报中的活动")

    def imported(self):
        for name, (stars, score) in RESULTS_2023.items():
            services.rating_import(
                actor=None, organization=self.orgs[name], year=2023, stars=stars, score=score
            )

    # -- last year's campaign, named ------------------------------------------------------------
    def _campaign(self, year, **dates):
        return services.campaign_save(
            actor=None,
            name=f"{year}年度“评星晋级·争创双强”活动",
            year=year,
            rubric=self.rubric,
            kinds=[],
            natures=[UnitNature.NON_PUBLIC],
            note="面向全区非公企业党组织开展，对照评星标准逐项评定。",
            **dates,
        )

    def _shares(self):
        shares = dict(FIVE)
        for names, low, high in ((FOUR, 82, 88), (THREE, 72, 78), (TWO, 62, 67)):
            for name in names:
                shares[name] = Decimal(self.rng.randint(low, high)) / 100
        return shares

    def last_year(self):
        rng = self.rng
        campaign = self._campaign(
            LAST_YEAR,
            self_start=D(2025, 11, 3),
            self_end=D(2025, 11, 21),
            review_end=D(2025, 12, 12),
            document_number="高新党工发〔2026〕2号",
        )
        services.campaign_open_self_assessment(actor=None, campaign=campaign, on=D(2025, 11, 3))
        shares = self._shares()
        assessments = list(campaign.assessments.select_related("organization").order_by("org_path"))
        for index, assessment in enumerate(assessments):
            share = shares[assessment.organization.name]
            services.assessment_save(
                actor=None,
                assessment=assessment,
                self_summary="对照评星标准逐项自查，佐证材料已上传。",
                items=_rows(
                    assessment, min(Decimal(1), share + Decimal("0.03")), "self_score", SELF_NOTES, rng
                ),
            )
            services.assessment_submit(
                actor=None, assessment=assessment, on=D(2025, 11, 10) + datetime.timedelta(days=index % 11)
            )
        services.campaign_open_review(actor=None, campaign=campaign, on=D(2025, 11, 24))
        for index, assessment in enumerate(assessments):
            items = _rows(assessment, shares[assessment.organization.name], "review_score", REVIEW_NOTES, rng)
            for row in items:
                row["review_methods"] = [CheckMethod.DOCUMENTS, CheckMethod.LEDGER] + (
                    [CheckMethod.SITE] if rng.random() < 0.5 else []
                )
            services.assessment_review(
                actor=None,
                assessment=assessment,
                items=items,
                review_note="经查资料、查台账和实地查看，评审组综合评定。",
                on=D(2025, 11, 25) + datetime.timedelta(days=index % 16),
            )
        services.campaign_open_decision(actor=None, campaign=campaign, on=D(2025, 12, 15))
        services.campaign_decide_all(actor=None, campaign=campaign, on=D(2025, 12, 18))
        services.campaign_open_notice(actor=None, campaign=campaign, on=D(2025, 12, 22))
        objected = campaign.assessments.get(organization=self.orgs["商洛比亚迪实业有限公司党支部"])
        objection = services.objection_add(
            actor=None,
            assessment=objected,
            received_on=D(2025, 12, 23),
            raised_by="比亚迪实业公司党员职工",
            content="支部 2023 年为四星级，今年生产经营和党员作用都有提升，评为三星级不能接受。",
        )
        services.objection_answer(
            actor=None,
            objection=objection,
            answered_on=D(2025, 12, 25),
            answer="经复核，该支部本年度党员大会和党课未按期召开，党员发展工作滞后，"
            "“党组织班子”“党员队伍”两项失分较多，评审得分属实，维持三星级的评定。已向异议人当面说明。",
            upheld=False,
        )
        campaign.refresh_from_db()
        services.campaign_name(actor=None, campaign=campaign, on=D(2026, 1, 6))

    # -- this year's campaign, in self-assessment -----------------------------------------------
    def this_year(self):
        rng = self.rng
        campaign = self._campaign(
            THIS_YEAR, self_start=D(2026, 11, 2), self_end=D(2026, 12, 18), review_end=D(2027, 1, 15)
        )
        services.campaign_open_self_assessment(actor=None, campaign=campaign, on=D(2026, 11, 2))
        mine = {a.organization.name: a for a in campaign.assessments.select_related("organization")}
        filed = {
            "香菊集团生产党支部": (Decimal("0.92"), D(2026, 11, 16)),
            "陕西天士力植物药业有限责任公司党支部": (Decimal("0.95"), D(2026, 11, 20)),
            "秦岭云计算大数据中心党支部": (Decimal("0.86"), D(2026, 11, 25)),
            "陕西商洛国峰水产业园党支部": (Decimal("0.84"), D(2026, 11, 23)),
            "商洛盘龙新材料科技有限公司党支部": (Decimal("0.88"), D(2026, 11, 27)),
        }
        for name, (share, on) in filed.items():
            assessment = mine[name]
            services.assessment_save(
                actor=None,
                assessment=assessment,
                self_summary="对照评星标准逐项自查，系统数据已核对。",
                items=_rows(assessment, share, "self_score", SELF_NOTES, rng),
            )
            services.assessment_submit(actor=None, assessment=assessment, on=on)
        services.assessment_return(
            actor=None,
            assessment=mine["陕西商洛国峰水产业园党支部"],
            on=D(2026, 11, 26),
            reason="“党员队伍”项缺少发展党员的支部大会记录，“劳动关系”项缺少职工代表大会材料，请补充后重新提交。",
        )
        # a draft, half filled in, not yet submitted
        draft = mine["创业创新示范园联合党支部"]
        services.assessment_save(
            actor=None,
            assessment=draft,
            self_summary="正在对照标准自查。",
            items=_rows(draft, Decimal("0.9"), "self_score")[:6],
        )


def small_branches(demo):
    root = demo.shared["orgs"][ROOT_NAME]
    for index, (name, founded, size) in enumerate(SMALL_BRANCHES):
        organization = org_services.organization_create(
            actor=None,
            parent=root,
            name=name,
            kind=OrgKind.BRANCH,
            unit_name=name.removesuffix("党支部"),
            unit_nature=UnitNature.NON_PUBLIC,
            founded_on=demo_date(founded),
            term_started_on=demo_date(founded),
            standardized=index % 4 != 3,  # a few not yet up to standard
        )
        demo.shared["orgs"][name] = organization
        for _ in range(size):
            new_member(demo, organization)
        secretary = organization.members.filter(category=MemberCategory.FULL).order_by("id").first()
        org_services.organization_update(
            actor=None, organization=organization, secretary=secretary, secretary_name=secretary.name
        )
    demo.say(f"参评的小微非公企业党支部 {len(SMALL_BRANCHES)} 个")


# after the members, before party life and the dues: the branches' meetings and dues are made
# with everyone else's
@demo_loader(order=31)
def load_small_branches(demo):
    small_branches(demo)


@demo_loader(order=80)
def load_ratings(demo):
    RatingsLoader(demo).load()
