"""The demo zone's party organizations (商洛高新区党工委, modelled on the seed article: enterprise
party committees and branches, 陕西香菊药业集团党委 with its 党小组, a temporary project branch)
and their posts (阵地, 责任区, 示范岗)."""

import datetime

from dangjian.core.demo import demo_date
from dangjian.core.registry import demo_loader

from . import services as org_services
from .models import OrgKind, Post, PostKind, UnitNature

ROOT_NAME = "商洛高新区党工委"


def _org(orgs, name, kind, parent=None, **fields):
    organization = org_services.organization_create(
        actor=None, parent=orgs.get(parent) if parent else None, name=name, kind=kind, **fields
    )
    orgs[name] = organization
    return organization


@demo_loader(order=20)
def load_organizations(demo):
    orgs = demo.shared.setdefault("orgs", {})
    np = UnitNature.NON_PUBLIC
    _org(
        orgs,
        ROOT_NAME,
        OrgKind.WORKING_COMMITTEE,
        unit_name="商洛高新技术产业开发区管理委员会",
        unit_nature=UnitNature.ORGAN,
        founded_on=demo_date("2013-04-01"),
        standardized=True,
        term_started_on=demo_date("2022-06-15"),
        has_committee=True,
        short_name="高新区党工委",
    )
    _org(
        orgs,
        "商洛高新区机关党委",
        OrgKind.COMMITTEE,
        ROOT_NAME,
        unit_name="商洛高新技术产业开发区管理委员会",
        unit_nature=UnitNature.ORGAN,
        founded_on=demo_date("2013-06-01"),
        term_started_on=demo_date("2022-07-01"),
        has_committee=True,
        standardized=True,
    )
    for name, started in (
        ("机关第一党支部", "2024-03-01"),
        ("机关第二党支部", "2022-03-01"),
        ("机关第三党支部", "2024-04-01"),
    ):
        _org(
            orgs,
            name,
            OrgKind.BRANCH,
            "商洛高新区机关党委",
            unit_nature=UnitNature.ORGAN,
            founded_on=demo_date("2013-06-01"),
            term_started_on=demo_date(started),
            standardized=True,
            has_committee=True,
        )
    _org(
        orgs,
        "陕西香菊药业集团党委",
        OrgKind.COMMITTEE,
        ROOT_NAME,
        unit_name="陕西香菊药业集团有限公司",
        unit_nature=np,
        founded_on=demo_date("2014-07-01"),
        term_started_on=demo_date("2024-07-01"),
        standardized=True,
        brand="党旗红、菊品强",
        has_committee=True,
    )
    groups = {"香菊集团生产党支部": 6, "香菊集团研发党支部": 5, "香菊集团营销党支部": 5}
    for branch, count in groups.items():
        _org(
            orgs,
            branch,
            OrgKind.BRANCH,
            "陕西香菊药业集团党委",
            unit_name="陕西香菊药业集团有限公司",
            unit_nature=np,
            founded_on=demo_date("2014-07-01"),
            term_started_on=demo_date("2024-07-01"),
            standardized=True,
            has_committee=True,
        )
        for number in range(1, count + 1):
            _org(
                orgs,
                f"{branch.removesuffix('党支部')}第{number}党小组",
                OrgKind.PARTY_GROUP,
                branch,
                founded_on=demo_date("2015-03-01"),
            )
    _org(
        orgs,
        "陕西天士力植物药业有限责任公司党支部",
        OrgKind.BRANCH,
        ROOT_NAME,
        unit_name="陕西天士力植物药业有限责任公司",
        unit_nature=np,
        founded_on=demo_date("2012-05-01"),
        term_started_on=demo_date("2023-12-01"),
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
        _org(
            orgs,
            name,
            OrgKind.BRANCH,
            ROOT_NAME,
            unit_name=enterprise,
            unit_nature=np if "建设投资" not in name else UnitNature.STATE_OWNED,
            founded_on=demo_date(founded),
            term_started_on=demo_date(term),
            standardized=True,
            has_committee=True,
        )
    _org(
        orgs,
        "陕西海恩电池科技有限公司党支部",
        OrgKind.BRANCH,
        ROOT_NAME,
        unit_name="陕西海恩电池科技有限公司",
        unit_nature=np,
        founded_on=demo_date("2022-06-01"),
        term_started_on=demo_date("2022-06-01"),
        standardized=False,
    )
    _org(
        orgs,
        "创业创新示范园联合党支部",
        OrgKind.JOINT_BRANCH,
        ROOT_NAME,
        unit_name="商洛高新区创业创新示范园",
        unit_nature=np,
        founded_on=demo_date("2020-05-01"),
        term_started_on=demo_date("2023-05-01"),
        standardized=True,
        brand="三联三化三提升",
        has_committee=True,
    )
    _org(
        orgs,
        "两河口城市运动公园项目临时党支部",
        OrgKind.TEMPORARY_BRANCH,
        ROOT_NAME,
        unit_name="两河口城市运动公园项目",
        unit_nature=UnitNature.PROJECT,
        founded_on=demo_date("2022-03-10"),
        standardized=True,
    )
    _org(
        orgs,
        "高新公园项目临时党支部",
        OrgKind.TEMPORARY_BRANCH,
        ROOT_NAME,
        unit_name="高新公园项目",
        unit_nature=UnitNature.PROJECT,
        founded_on=demo_date("2021-04-01"),
        dissolved_on=demo_date("2024-12-31"),
        standardized=True,
    )
    demo.say(f"党组织 {len(orgs)} 个")


@demo_loader(order=21)
def load_posts(demo):
    orgs = demo.shared["orgs"]
    committee = orgs["陕西香菊药业集团党委"]
    branches = ["香菊集团生产党支部", "香菊集团研发党支部", "香菊集团营销党支部"]
    org_services.post_create(
        actor=None,
        name="香菊集团党员活动室",
        kind=PostKind.ACTIVITY_ROOM,
        organization=committee,
        established_on=demo_date("2019-06-01"),
    )
    org_services.post_create(
        actor=None,
        name="创业创新示范园党群服务中心",
        kind=PostKind.SERVICE_CENTER,
        organization=orgs["创业创新示范园联合党支部"],
        established_on=demo_date("2020-07-01"),
    )
    org_services.post_create(
        actor=None,
        name="高新区党群服务中心",
        kind=PostKind.SERVICE_CENTER,
        organization=orgs[ROOT_NAME],
        established_on=demo_date("2021-07-01"),
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
            organization=orgs[branches[index % 3]],
            established_on=demo_date("2020-03-01"),
        )
    for number in range(1, 32):
        org_services.post_create(
            actor=None,
            name=f"党员示范岗{number:02d}号",
            kind=PostKind.MODEL_POST,
            organization=orgs[branches[number % 3]],
            established_on=datetime.date(2019 + number % 6, 1 + number % 12, 1),
        )
    org_services.post_create(
        actor=None,
        name="方向盘生产车间党员示范岗",
        kind=PostKind.MODEL_POST,
        organization=orgs["商洛比亚迪实业有限公司党支部"],
        established_on=demo_date("2022-07-01"),
    )
    demo.say(f"阵地与岗区 {Post.objects.count()} 个")
