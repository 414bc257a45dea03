"""The demo zone: 商洛高新区党工委 modelled on the seed article — enterprise party committees and
branches (陕西香菊药业集团党委 with its 党小组, 陕西天士力植物药业有限责任公司党支部), a temporary
project branch, a few hundred members with valid ID numbers, enterprises with clusters and
flags, and one demo user per role. Deterministic: the same data every time."""

import datetime
import random
from decimal import Decimal

from django.db import transaction

from dangjian.accounts.models import Grant, Role, User
from dangjian.audit.context import audit_context
from dangjian.core.demo.partylife import PartyLifeLoader
from dangjian.core.demo.projects import ProjectsLoader
from dangjian.core.demo.servicedesk import ServiceDeskLoader
from dangjian.core.testing.codes import make_credit_code, make_id_number
from dangjian.core.validators import add_years
from dangjian.enterprises import services as enterprise_services
from dangjian.enterprises.models import IndustryCluster
from dangjian.members import services as member_services
from dangjian.members.models import Education, MemberCategory
from dangjian.organizations import services as org_services
from dangjian.organizations.models import OrgKind, Post, PostKind, UnitNature

DEMO_PASSWORD = "Dangjian@2026"
ROOT_NAME = "商洛高新区党工委"

ENTERPRISES = [
    # name, cluster, settled, high-tech, tech SME, above scale, chain leader, incubated, employees
    ("陕西香菊药业集团有限公司", "生物医药", "2012-05-10", True, False, True, True, False, 860),
    ("陕西天士力植物药业有限责任公司", "生物医药", "2011-09-01", True, True, True, True, False, 620),
    ("商洛比亚迪实业有限公司", "新能源", "2016-03-18", True, False, True, True, False, 1200),
    ("陕西海恩电池科技有限公司", "新能源", "2021-07", True, True, True, False, False, 310),
    ("秦岭云计算大数据中心有限公司", "电子信息", "2020-11-02", True, True, False, False, False, 96),
    ("商洛美瑞运营有限公司", "现代服务业", "2019-04", False, True, False, False, True, 58),
    ("陕西商洛国峰水产业园有限公司", "绿色食品", "2018-06-20", False, True, True, False, False, 140),
    ("商洛盘龙新材料科技有限公司", "新材料", "2017-08-08", True, True, True, False, False, 280),
    ("商洛尧柏新材料有限公司", "新材料", "2015-10-12", False, False, True, False, False, 230),
    ("商洛秦创原科技服务有限公司", "现代服务业", "2022-03-01", False, True, False, False, True, 25),
    ("商洛绿源食品有限公司", "绿色食品", "2019-09-09", False, True, False, False, True, 42),
    ("商洛智云电子科技有限公司", "电子信息", "2021-02-22", True, True, False, False, True, 37),
    ("商洛康源生物科技有限公司", "生物医药", "2020-05-15", False, True, False, False, True, 31),
    ("商洛丹江新能源科技有限公司", "新能源", "2022-08-08", False, True, False, False, True, 19),
    ("商洛鑫达新材料有限公司", "新材料", "2023-01-10", False, False, False, False, True, 16),
    ("商洛乐享文化传媒有限公司", "现代服务业", "2023-05", False, False, False, False, True, 12),
    ("商洛高新建设投资有限公司", "现代服务业", "2014-04-01", False, False, True, False, False, 150),
]
# 营业收入（万元）: 2024 and 2025; 香菊 grows by 30% as in the seed article.
REVENUE = {
    "陕西香菊药业集团有限公司": (Decimal("43154.000000"), Decimal("56100.200000")),
    "陕西天士力植物药业有限责任公司": (Decimal("38200.5"), Decimal("41760.3")),
    "商洛比亚迪实业有限公司": (Decimal("126500"), Decimal("148900")),
    "陕西海恩电池科技有限公司": (Decimal("8200"), Decimal("15300")),
    "商洛盘龙新材料科技有限公司": (Decimal("21300"), Decimal("23800")),
    "陕西商洛国峰水产业园有限公司": (Decimal("6400"), Decimal("7350")),
}

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强海燕红梅文博晓东晓燕子涵宇轩浩然欣怡佳琪俊杰思远雨萱明轩梓涵一鸣嘉怡"
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


def _date(text):
    parts = [int(p) for p in text.split("-")]
    return datetime.date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)


class DemoZone:
    def __init__(self, seed=2026, stdout=None):
        self.rng = random.Random(seed)
        self.stdout = stdout
        self.orgs = {}
        self.enterprises = {}
        self.person_seq = 0

    def say(self, text):
        if self.stdout is not None:
            self.stdout.write(text)

    @transaction.atomic
    def load(self):
        with audit_context(source="command", label="命令 load_demo"):
            self.load_enterprises()
            self.load_organizations()
            self.load_posts()
            self.load_members()
            self.load_users()
            PartyLifeLoader(self).load()
            ProjectsLoader(self).load()
            ServiceDeskLoader(self).load()

    # -- enterprises ------------------------------------------------------------------------
    def load_enterprises(self):
        clusters = {c.name: c for c in IndustryCluster.objects.all()}
        for index, (name, cluster, settled, high, sme, above, leader, incubated, staff) in enumerate(
            ENTERPRISES, 1
        ):
            self.enterprises[name] = enterprise_services.enterprise_create(
                actor=None,
                name=name,
                credit_code=make_credit_code(700000 + index * 7919),
                cluster=clusters[cluster],
                settled_on=_date(settled),
                settled_month_only=settled.count("-") == 1,
                is_high_tech=high,
                is_tech_sme=sme,
                is_above_scale=above,
                is_chain_leader=leader,
                is_incubated=incubated,
                employees=staff,
                contact_name=self.person_name(),
                contact_phone=self.mobile(),
            )
        for name, (previous, current) in REVENUE.items():
            enterprise = self.enterprises[name]
            for year, revenue in ((2024, previous), (2025, current)):
                enterprise_services.enterprise_year_save(
                    actor=None,
                    enterprise=enterprise,
                    year=year,
                    revenue=revenue,
                    profit_tax=(revenue * Decimal("0.1027")).quantize(Decimal("0.01")),
                    new_jobs=self.rng.randint(5, 90),
                )
        self.say(f"企业 {len(self.enterprises)} 家")

    # -- organizations ---------------------------------------------------------------------------
    def org(self, name, kind, parent=None, **fields):
        organization = org_services.organization_create(
            actor=None, parent=self.orgs.get(parent) if parent else None, name=name, kind=kind, **fields
        )
        self.orgs[name] = organization
        return organization

    def load_organizations(self):
        np = UnitNature.NON_PUBLIC
        self.org(
            ROOT_NAME,
            OrgKind.WORKING_COMMITTEE,
            unit_name="商洛高新技术产业开发区管理委员会",
            unit_nature=UnitNature.ORGAN,
            founded_on=_date("2013-04-01"),
            standardized=True,
            term_started_on=_date("2022-06-15"),
            has_committee=True,
            short_name="高新区党工委",
        )
        self.org(
            "商洛高新区机关党委",
            OrgKind.COMMITTEE,
            ROOT_NAME,
            unit_name="商洛高新技术产业开发区管理委员会",
            unit_nature=UnitNature.ORGAN,
            founded_on=_date("2013-06-01"),
            term_started_on=_date("2022-07-01"),
            has_committee=True,
            standardized=True,
        )
        for name, started in (
            ("机关第一党支部", "2024-03-01"),
            ("机关第二党支部", "2022-03-01"),
            ("机关第三党支部", "2024-04-01"),
        ):
            self.org(
                name,
                OrgKind.BRANCH,
                "商洛高新区机关党委",
                unit_nature=UnitNature.ORGAN,
                founded_on=_date("2013-06-01"),
                term_started_on=_date(started),
                standardized=True,
                has_committee=True,
            )
        self.org(
            "陕西香菊药业集团党委",
            OrgKind.COMMITTEE,
            ROOT_NAME,
            unit_name="陕西香菊药业集团有限公司",
            unit_nature=np,
            founded_on=_date("2014-07-01"),
            term_started_on=_date("2024-07-01"),
            standardized=True,
            brand="党旗红、菊品强",
            has_committee=True,
        )
        groups = {"香菊集团生产党支部": 6, "香菊集团研发党支部": 5, "香菊集团营销党支部": 5}
        for branch, count in groups.items():
            self.org(
                branch,
                OrgKind.BRANCH,
                "陕西香菊药业集团党委",
                unit_name="陕西香菊药业集团有限公司",
                unit_nature=np,
                founded_on=_date("2014-07-01"),
                term_started_on=_date("2024-07-01"),
                standardized=True,
                has_committee=True,
            )
            for number in range(1, count + 1):
                self.org(
                    f"{branch.removesuffix('党支部')}第{number}党小组",
                    OrgKind.PARTY_GROUP,
                    branch,
                    founded_on=_date("2015-03-01"),
                )
        self.org(
            "陕西天士力植物药业有限责任公司党支部",
            OrgKind.BRANCH,
            ROOT_NAME,
            unit_name="陕西天士力植物药业有限责任公司",
            unit_nature=np,
            founded_on=_date("2012-05-01"),
            term_started_on=_date("2023-12-01"),
            standardized=True,
            brand="红色天士力",
            has_committee=True,
        )
        for name, enterprise, founded, term in (
            ("商洛比亚迪实业有限公司党支部", "商洛比亚迪实业有限公司", "2017-06-01", "2022-05-01"),
            ("秦岭云计算大数据中心党支部", "秦岭云计算大数据中心有限公司", "2021-07-01", "2024-07-01"),
            ("陕西商洛国峰水产业园党支部", "陕西商洛国峰水产业园有限公司", "2019-05-01", "2022-09-01"),
            ("商洛盘龙新材料科技有限公司党支部", "商洛盘龙新材料科技有限公司", "2018-03-01", "2024-03-01"),
            ("商洛高新建设投资有限公司党支部", "商洛高新建设投资有限公司", "2015-01-01", "2024-01-01"),
        ):
            self.org(
                name,
                OrgKind.BRANCH,
                ROOT_NAME,
                unit_name=enterprise,
                unit_nature=np if "建设投资" not in name else UnitNature.STATE_OWNED,
                founded_on=_date(founded),
                term_started_on=_date(term),
                standardized=True,
                has_committee=True,
            )
        self.org(
            "陕西海恩电池科技有限公司党支部",
            OrgKind.BRANCH,
            ROOT_NAME,
            unit_name="陕西海恩电池科技有限公司",
            unit_nature=np,
            founded_on=_date("2022-06-01"),
            term_started_on=_date("2022-06-01"),
            standardized=False,
        )
        self.org(
            "创业创新示范园联合党支部",
            OrgKind.JOINT_BRANCH,
            ROOT_NAME,
            unit_name="商洛高新区创业创新示范园",
            unit_nature=np,
            founded_on=_date("2020-05-01"),
            term_started_on=_date("2023-05-01"),
            standardized=True,
            brand="三联三化三提升",
            has_committee=True,
        )
        self.org(
            "两河口城市运动公园项目临时党支部",
            OrgKind.TEMPORARY_BRANCH,
            ROOT_NAME,
            unit_name="两河口城市运动公园项目",
            unit_nature=UnitNature.PROJECT,
            founded_on=_date("2022-03-10"),
            standardized=True,
        )
        self.org(
            "高新公园项目临时党支部",
            OrgKind.TEMPORARY_BRANCH,
            ROOT_NAME,
            unit_name="高新公园项目",
            unit_nature=UnitNature.PROJECT,
            founded_on=_date("2021-04-01"),
            dissolved_on=_date("2024-12-31"),
            standardized=True,
        )
        self.say(f"党组织 {len(self.orgs)} 个")

    # -- posts ------------------------------------------------------------------------------------
    def load_posts(self):
        committee = self.orgs["陕西香菊药业集团党委"]
        branches = ["香菊集团生产党支部", "香菊集团研发党支部", "香菊集团营销党支部"]
        org_services.post_create(
            actor=None,
            name="香菊集团党员活动室",
            kind=PostKind.ACTIVITY_ROOM,
            organization=committee,
            established_on=_date("2019-06-01"),
        )
        org_services.post_create(
            actor=None,
            name="创业创新示范园党群服务中心",
            kind=PostKind.SERVICE_CENTER,
            organization=self.orgs["创业创新示范园联合党支部"],
            established_on=_date("2020-07-01"),
        )
        org_services.post_create(
            actor=None,
            name="高新区党群服务中心",
            kind=PostKind.SERVICE_CENTER,
            organization=self.orgs[ROOT_NAME],
            established_on=_date("2021-07-01"),
        )
        areas = [
            "提取车间",
            "制剂车间",
            "包装车间",
            "原料仓储",
            "质检中心",
            "研发中心一室",
            "研发中心二室",
            "中试车间",
            "营销一部",
            "营销二部",
            "物流中心",
            "设备动力",
            "安全环保",
            "种植基地",
        ]
        for index, area in enumerate(areas):
            org_services.post_create(
                actor=None,
                name=f"{area}党员责任区",
                kind=PostKind.RESPONSIBILITY_AREA,
                organization=self.orgs[branches[index % 3]],
                established_on=_date("2020-03-01"),
            )
        for number in range(1, 32):
            org_services.post_create(
                actor=None,
                name=f"党员示范岗{number:02d}号",
                kind=PostKind.MODEL_POST,
                organization=self.orgs[branches[number % 3]],
                established_on=datetime.date(2019 + number % 6, 1 + number % 12, 1),
            )
        org_services.post_create(
            actor=None,
            name="方向盘生产车间党员示范岗",
            kind=PostKind.MODEL_POST,
            organization=self.orgs["商洛比亚迪实业有限公司党支部"],
            established_on=_date("2022-07-01"),
        )
        self.say(f"阵地与岗区 {Post.objects.count()} 个")

    # -- members -----------------------------------------------------------------------------------
    def person_name(self):
        return self.rng.choice(SURNAMES) + "".join(
            self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2)))
        )

    def mobile(self):
        return f"1{self.rng.choice('3578')}{self.rng.randint(0, 9)}{self.rng.randint(10000000, 99999999)}"

    def new_member(self, organization, *, probationary=False, joined_year=None, party_group=None):
        self.person_seq += 1
        sex = "男" if self.rng.random() < 0.62 else "女"
        birth = datetime.date(self.rng.randint(1962, 2000), self.rng.randint(1, 12), self.rng.randint(1, 28))
        earliest = max(add_years(birth, 19).year, 1985)
        if probationary:
            joined = datetime.date(2026, self.rng.randint(1, 10), self.rng.randint(1, 28))
            birth = min(birth, add_years(joined, -19))
        else:
            year = joined_year or self.rng.randint(earliest, 2024)
            joined = datetime.date(max(year, earliest), self.rng.randint(1, 12), self.rng.randint(1, 28))
        extended = not probationary and self.rng.random() < 0.03
        regularized = None
        if not probationary:
            regularized = add_years(joined, 1)
            if extended:
                regularized = regularized + datetime.timedelta(days=self.rng.randint(180, 360))
        return member_services.member_create(
            actor=None,
            organization=organization,
            name=self.person_name(),
            sex=sex,
            ethnicity="汉族" if self.rng.random() < 0.96 else "回族",
            id_number=make_id_number(
                birth, self.person_seq, sex, region=self.rng.choice(["611002", "611021", "611022"])
            ),
            education=self.rng.choice(
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
            position=self.rng.choice(POSITIONS),
            phone=self.mobile(),
            party_group=party_group,
            is_mobile=self.rng.random() < 0.03,
        )

    def load_members(self):
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
            organization = self.orgs[name]
            groups = (
                list(organization.children().filter(kind=OrgKind.PARTY_GROUP))
                if organization.is_branch
                else []
            )
            probationary = 0 if size < 4 else max(1, size // 12)
            for index in range(size):
                group = groups[index % len(groups)] if groups else None
                self.new_member(organization, probationary=index < probationary, party_group=group)
                count += 1
        # a few who joined in recent years, so the development figures have something to show
        for year in (2024, 2025):
            for name in ("香菊集团生产党支部", "机关第一党支部", "陕西天士力植物药业有限责任公司党支部"):
                self.new_member(self.orgs[name], joined_year=year)
                count += 1
        for name in ("陕西香菊药业集团党委", "陕西天士力植物药业有限责任公司党支部", "机关第一党支部"):
            organization = self.orgs[name]
            secretary = organization.members.filter(category=MemberCategory.FULL).order_by("id").first()
            org_services.organization_update(
                actor=None, organization=organization, secretary=secretary, secretary_name=secretary.name
            )
        self.say(f"党员 {count} 名")

    # -- users ------------------------------------------------------------------------------------------
    def user(self, username, full_name, title, role_code, **scope):
        account = User.objects.create_user(
            username=username, password=DEMO_PASSWORD, full_name=full_name, title=title
        )
        Grant.objects.create(user=account, role=Role.objects.get(code=role_code), **scope)
        return account

    def load_users(self):
        root = self.orgs[ROOT_NAME]
        self.user("zone_admin", "王贤锋", "党建办主任", "zone_admin", organization=root)
        self.user("leader", "邢俊", "党工委书记", "leader", organization=root)
        self.user(
            "secretary",
            "刘海燕",
            "香菊集团党委书记",
            "secretary",
            organization=self.orgs["陕西香菊药业集团党委"],
        )
        # the demo cadre 王一博 (login "cadre") is made by the projects loader, with assignments
        self.user(
            "enterprise",
            "寇蕾",
            "天士力企业联络员",
            "enterprise_contact",
            enterprise=self.enterprises["陕西天士力植物药业有限责任公司"],
        )
        self.user("sysadmin", "系统管理员", "", "system_admin")
        self.user("secadmin", "安全管理员", "", "security_admin")
        self.user("auditor", "审计管理员", "", "audit_admin")


DEMO_LOGINS = [
    ("zone_admin", "党工委管理员：全区数据、台账、指标"),
    ("leader", "领导：全区只读、驾驶舱"),
    ("secretary", "党组织书记：陕西香菊药业集团党委及下级"),
    (
        "cadre",
        "包抓干部王一博：两河口城市运动公园等项目，海恩电池、秦岭云计算两家企业；手机填报日纪实 /m/daily/",
    ),
    ("enterprise", "企业联络员：天士力一家企业；企业服务门户 /portal/"),
    ("sysadmin", "系统管理员：用户账号"),
    ("secadmin", "安全管理员：角色与授权"),
    ("auditor", "审计管理员：审计日志"),
]
