"""The demo zone's enterprises (商洛高新区): clusters, flags, and two years of figures."""

from decimal import Decimal

from dangjian.core.demo import demo_date
from dangjian.core.registry import demo_loader
from dangjian.core.testing.codes import make_credit_code

from . import services as enterprise_services
from .models import IndustryCluster

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


@demo_loader(order=10)
def load_enterprises(demo):
    enterprises = demo.shared.setdefault("enterprises", {})
    clusters = {c.name: c for c in IndustryCluster.objects.all()}
    for index, (name, cluster, settled, high, sme, above, leader, incubated, staff) in enumerate(
        ENTERPRISES, 1
    ):
        enterprises[name] = enterprise_services.enterprise_create(
            actor=None,
            name=name,
            credit_code=make_credit_code(700000 + index * 7919),
            cluster=clusters[cluster],
            settled_on=demo_date(settled),
            settled_month_only=settled.count("-") == 1,
            is_high_tech=high,
            is_tech_sme=sme,
            is_above_scale=above,
            is_chain_leader=leader,
            is_incubated=incubated,
            employees=staff,
            contact_name=demo.person_name(),
            contact_phone=demo.mobile(),
        )
    for name, (previous, current) in REVENUE.items():
        enterprise = enterprises[name]
        for year, revenue in ((2024, previous), (2025, current)):
            enterprise_services.enterprise_year_save(
                actor=None,
                enterprise=enterprise,
                year=year,
                revenue=revenue,
                profit_tax=(revenue * Decimal("0.1027")).quantize(Decimal("0.01")),
                new_jobs=demo.rng.randint(5, 90),
            )
    demo.say(f"企业 {len(enterprises)} 家")
