"""The demo zone's members: a few hundred with valid ID numbers in the branches of the demo tree,
some probationary, a few who joined in recent years, and the secretaries of three organizations;
then (after party life) people in the development pipeline and a year of dues."""

import datetime
from decimal import Decimal

from dangjian.core.demo import DemoPart, months_between
from dangjian.core.registry import demo_loader
from dangjian.core.testing.codes import make_id_number
from dangjian.core.validators import add_years
from dangjian.organizations import services as org_services
from dangjian.organizations.models import BRANCH_KINDS, OrgKind, PartyOrganization

from . import services as member_services
from .models import DuesAssessment, DuesCategory, Education, Member, MemberCategory

POSITIONS = [
    "生产车间主任",
    "技术员",
    "质检员",
    "研发工程师",
    "销售经理",
    "行政专员",
    "财务主管",
    "班组长",
    "办公室主任",
    "项目经理",
    "工程师",
    "科员",
]


def new_member(demo, organization, *, probationary=False, joined_year=None, party_group=None):
    demo.shared["person_seq"] = seq = demo.shared.get("person_seq", 0) + 1
    sex = "男" if demo.rng.random() < 0.62 else "女"
    birth = datetime.date(demo.rng.randint(1962, 2000), demo.rng.randint(1, 12), demo.rng.randint(1, 28))
    earliest = max(add_years(birth, 19).year, 1985)
    if probationary:
        joined = datetime.date(2026, demo.rng.randint(1, 10), demo.rng.randint(1, 28))
        birth = min(birth, add_years(joined, -19))
    else:
        year = joined_year or demo.rng.randint(earliest, 2024)
        joined = datetime.date(max(year, earliest), demo.rng.randint(1, 12), demo.rng.randint(1, 28))
    extended = not probationary and demo.rng.random() < 0.03
    regularized = None
    if not probationary:
        regularized = add_years(joined, 1)
        if extended:
            regularized = regularized + datetime.timedelta(days=demo.rng.randint(180, 360))
    return member_services.member_create(
        actor=None,
        organization=organization,
        name=demo.person_name(),
        sex=sex,
        ethnicity="汉族" if demo.rng.random() < 0.96 else "回族",
        id_number=make_id_number(birth, seq, sex, region=demo.rng.choice(["611002", "611021", "611022"])),
        education=demo.rng.choice(
            [
                Education.BACHELOR,
                Education.BACHELOR,
                Education.COLLEGE,
                Education.POSTGRADUATE,
                Education.HIGH_SCHOOL,
            ]
        ),
        category=MemberCategory.PROBATIONARY if probationary else MemberCategory.FULL,
        joined_on=joined,
        regularized_on=regularized,
        probation_extended=extended,
        position=demo.rng.choice(POSITIONS),
        phone=demo.mobile(),
        party_group=party_group,
        is_mobile=demo.rng.random() < 0.03,
    )


@demo_loader(order=30)
def load_members(demo):
    orgs = demo.shared["orgs"]
    plan = {
        "商洛高新区机关党委": 4,
        "机关第一党支部": 14,
        "机关第二党支部": 12,
        "机关第三党支部": 9,
        "陕西香菊药业集团党委": 5,
        "香菊集团生产党支部": 38,
        "香菊集团研发党支部": 27,
        "香菊集团营销党支部": 24,
        "陕西天士力植物药业有限责任公司党支部": 31,
        "商洛比亚迪实业有限公司党支部": 55,
        "秦岭云计算大数据中心党支部": 8,
        "陕西商洛国峰水产业园党支部": 6,
        "商洛盘龙新材料科技有限公司党支部": 11,
        "商洛高新建设投资有限公司党支部": 13,
        "陕西海恩电池科技有限公司党支部": 2,
        "创业创新示范园联合党支部": 17,
        "两河口城市运动公园项目临时党支部": 9,
    }
    count = 0
    for name, size in plan.items():
        organization = orgs[name]
        groups = (
            list(organization.children().filter(kind=OrgKind.PARTY_GROUP)) if organization.is_branch else []
        )
        probationary = 0 if size < 4 else max(1, size // 12)
        for index in range(size):
            group = groups[index % len(groups)] if groups else None
            new_member(demo, organization, probationary=index < probationary, party_group=group)
            count += 1
    # a few who joined in recent years, so the development figures have something to show
    for year in (2024, 2025):
        for name in ("香菊集团生产党支部", "机关第一党支部", "陕西天士力植物药业有限责任公司党支部"):
            new_member(demo, orgs[name], joined_year=year)
            count += 1
    for name in ("陕西香菊药业集团党委", "陕西天士力植物药业有限责任公司党支部", "机关第一党支部"):
        organization = orgs[name]
        secretary = organization.members.filter(category=MemberCategory.FULL).order_by("id").first()
        org_services.organization_update(
            actor=None, organization=organization, secretary=secretary, secretary_name=secretary.name
        )
    demo.say(f"党员 {count} 名")


class DevelopmentAndDuesLoader(DemoPart):
    """People in the development pipeline at every step, and this year's dues: bases, monthly
    assessments and payments (a few members stop paying)."""

    def load(self):
        self.development()
        self.dues()

    # -- development ---------------------------------------------------------------------------------
    def development(self):
        today, rng = self.today, self.rng
        branch = self.zone.shared["orgs"]["香菊集团生产党支部"]
        other = self.zone.shared["orgs"]["陕西天士力植物药业有限责任公司党支部"]
        full = list(
            Member.objects.filter(organization=branch, category=MemberCategory.FULL, left_on__isnull=True)[:2]
        )
        names = [
            "高明轩",
            "周欣怡",
            "吴浩然",
            "郑雨萱",
            "孙子涵",
            "马一鸣",
            "胡佳琪",
            "林梓涵",
            "何俊杰",
            "罗思远",
        ]
        plans = [  # (stage to reach, application how many days ago, organization)
            ("applicant", 20, branch),
            ("applicant", 45, other),
            ("activist", 200, branch),
            ("activist", 420, other),
            ("candidate", 560, branch),
            ("probationary", 700, branch),
            ("probationary_pending", 520, branch),
            ("full", 1250, branch),
            ("full", 1300, other),
            ("activist", 380, branch),
        ]
        for index, (stage, ago, organization) in enumerate(plans):
            applied = today - datetime.timedelta(days=ago)
            birth = add_years(applied, -rng.randint(22, 35))
            sex = rng.choice(["男", "女"])
            case = member_services.development_apply(
                actor=None,
                organization=organization,
                name=names[index],
                id_number=make_id_number(birth, 5000 + index, sex),
                applied_on=applied,
            )
            if stage == "applicant" and ago < 30:
                continue
            member_services.development_talk(actor=None, case=case, on=applied + datetime.timedelta(days=14))
            if stage == "applicant":
                continue
            activist_on = applied + datetime.timedelta(days=60)
            member_services.development_make_activist(actor=None, case=case, on=activist_on)
            if stage == "activist":
                continue
            candidate_on = add_years(activist_on, 1) + datetime.timedelta(days=10)
            member_services.development_make_candidate(actor=None, case=case, on=candidate_on)
            member_services.development_record_training(
                actor=None,
                case=case,
                completed_on=candidate_on + datetime.timedelta(days=20),
                days=Decimal(3),
                hours=Decimal(24),
            )
            if stage == "candidate":
                continue
            introducers = (
                full
                if organization == branch
                else list(Member.objects.filter(organization=other, category=MemberCategory.FULL)[:2])
            )
            admitted = candidate_on + datetime.timedelta(days=45)
            member_services.development_admit(actor=None, case=case, on=admitted, introducers=introducers)
            if stage == "probationary_pending":
                continue
            member_services.development_approve(
                actor=None, case=case, on=admitted + datetime.timedelta(days=40)
            )
            if stage == "probationary":
                continue
            member_services.development_regularize(actor=None, case=case, on=add_years(admitted, 1))
        self.zone.say(f"发展党员 {len(plans)} 人")

    # -- dues -----------------------------------------------------------------------------------------
    def dues(self):
        rng, today = self.rng, self.today
        first = datetime.date(today.year, 1, 1)
        members = list(Member.objects.filter(left_on__isnull=True).select_related("organization"))
        for member in members:
            if member.position in ("科员", "办公室主任"):
                category, income = DuesCategory.EMPLOYED, Decimal(rng.randint(4200, 7800))
            elif rng.random() < 0.05:
                category, income = DuesCategory.RETIRED, Decimal(rng.randint(3200, 6400))
            else:
                category, income = (
                    DuesCategory.EMPLOYED,
                    Decimal(rng.choice([2800, 3000, 3600, 4800, 5000, 6500, 9800, 10000, 12500])),
                )
            member_services.dues_base_set(
                actor=None, member=member, effective_from=first, category=category, income=income
            )
        months = list(months_between(first, today.replace(day=1) - datetime.timedelta(days=1)))
        branches = PartyOrganization.objects.filter(kind__in=BRANCH_KINDS, dissolved_on__isnull=True)
        for month in months:
            for branch in branches:
                member_services.dues_assess(actor=None, organization=branch, month=month)
        late = {m.pk for m in members[::23]}  # a few who stopped paying
        for assessment in DuesAssessment.objects.select_related("member"):
            stopped = assessment.member_id in late and assessment.month >= months[max(len(months) - 4, 0)]
            if stopped:
                continue
            paid_on = min(assessment.month.replace(day=rng.randint(5, 25)), today)
            member_services.dues_pay(
                actor=None,
                member=assessment.member,
                month=assessment.month,
                amount=assessment.payable,
                paid_on=paid_on,
            )
        self.zone.say(f"党费：{len(months)} 个月的应缴与交纳")


# after party life, whose loader uses the same random sequence before it
@demo_loader(order=55)
def load_development_and_dues(demo):
    DevelopmentAndDuesLoader(demo).load()
