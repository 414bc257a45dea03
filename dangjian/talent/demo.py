"""The demo zone's talent and innovation (人才与创新), as the seed article tells it for last year:
"动态入库175人", "省级研发平台9个、市级研发平台30个、省级孵化器1家、省级众创空间2家、省级创业孵化基地1家、
文化和科技融合示范基地1家", "引进西安交大、西北大学、西安理工大学、西安邮电大学等10多所高校在高新区建立研发中心、
实验室，实施重点科技项目48个，获得省级以上科技成果4项，拥有专利75个", "聘请5名院士专家与区内企业开展科技合作".

So for last year (the seed year): 175 talents taken into the pool between 1 January and
31 December (a mix of the five categories, 引进 and 培养, at the demo enterprises and a few
units outside them, some with an ID number and some without; a few of them and of the earlier
ones left the pool), payments under five talent policies; the 44 platforms of the list in force
on 31 December (a 46th, a 市级研发平台, withdrawn in June, does not count; 商洛美瑞's 人才创新创业基地
and the 创新促进中心 are recognised this year), the incubator's and the makerspace's incubated
enterprises (all of them flagged 孵化企业 by the enterprises' demo already, so
`enterprises.incubated` stays as it is); 48 重点科技项目, 4 省级以上 科技成果 and three 市级 that do not
count, 75 patents of the three kinds, 16 校地合作 with 11 distinct universities, 5 院士专家; and this
year's first records. The demo enterprise contact's patent waits for the zone (待确认): the review
queue is not empty and the seed's 75 stay 75. Everything through the services."""

import datetime
from decimal import Decimal

from dangjian.accounts import services as account_services
from dangjian.accounts.models import Grant, Role, User
from dangjian.core.demo import DEMO_PASSWORD, DemoPart, distinct_names
from dangjian.core.registry import demo_loader
from dangjian.core.testing.codes import make_id_number
from dangjian.organizations.demo import ROOT_NAME

from . import services
from .models import (
    CooperationForm,
    InnovationKind,
    InnovationLevel,
    PatentKind,
    PlatformKind,
    PlatformLevel,
    TalentCategory,
    TalentPolicy,
    TalentSource,
)

D = datetime.date
DAY = datetime.timedelta(days=1)
LOGIN = "talent"

XIANGJU = "陕西香菊药业集团有限公司"
TASLY = "陕西天士力植物药业有限责任公司"
BYD = "商洛比亚迪实业有限公司"
HAIEN = "陕西海恩电池科技有限公司"
CLOUD = "秦岭云计算大数据中心有限公司"
MEIRUI = "商洛美瑞运营有限公司"
GUOFENG = "陕西商洛国峰水产业园有限公司"
PANLONG = "商洛盘龙新材料科技有限公司"
YAOBAI = "商洛尧柏新材料有限公司"
QINCHUANGYUAN = "商洛秦创原科技服务有限公司"
LVYUAN = "商洛绿源食品有限公司"
ZHIYUN = "商洛智云电子科技有限公司"
KANGYUAN = "商洛康源生物科技有限公司"
DANJIANG = "商洛丹江新能源科技有限公司"
XINDA = "商洛鑫达新材料有限公司"
LEXIANG = "商洛乐享文化传媒有限公司"
CONSTRUCTION = "商洛高新建设投资有限公司"
COLLEGE = "商洛学院"
VOCATIONAL = "商洛职业技术学院"
AGRI_INSTITUTE = "商洛市农业科学研究所"
HOSPITAL = "商洛市中心医院"
OUTSIDE_UNITS = [COLLEGE, VOCATIONAL, AGRI_INSTITUTE, HOSPITAL]

# -- the talent pool ------------------------------------------------------------------------------
# the seed year's 175 intakes by category (the policy leans to 产业领军人才 and 紧缺高层次人才)
INTAKE_MIX = [
    (TalentCategory.LEADING, 9),
    (TalentCategory.SCARCE, 26),
    (TalentCategory.YOUNG, 58),
    (TalentCategory.SKILLED, 62),
    (TalentCategory.OTHER, 20),
]
SEED_INTAKE = 175
EARLIER = 28  # in the pool before the seed year (the seed year's intake does not count them)
THIS_YEAR = 12
# category: (birth years, share introduced, educations, titles)
PROFILE = {
    TalentCategory.LEADING: (
        (1966, 1982),
        0.7,
        ["博士研究生", "博士研究生", "硕士研究生"],
        ["正高级工程师", "研究员", "教授级高级工程师"],
    ),
    TalentCategory.SCARCE: (
        (1975, 1990),
        0.65,
        ["博士研究生", "硕士研究生", "硕士研究生", "大学本科"],
        ["高级工程师", "副研究员", "副主任药师", "高级经济师"],
    ),
    TalentCategory.YOUNG: (
        (1990, 1999),
        0.45,
        ["硕士研究生", "硕士研究生", "大学本科"],
        ["工程师", "助理工程师", ""],
    ),
    TalentCategory.SKILLED: (
        (1978, 1998),
        0.2,
        ["大专", "中专", "技工学校", "大专"],
        ["高级技师", "技师", "高级工"],
    ),
    TalentCategory.OTHER: ((1975, 1996), 0.3, ["大学本科", "大专"], ["", "工程师", "经济师"]),
}
FIELDS = {
    "生物医药": ["中药制药", "药物分析", "生物工程", "中药材种植"],
    "新能源": ["电化学", "电池材料", "汽车电子", "储能系统"],
    "新材料": ["材料科学与工程", "冶金工程", "无机非金属材料"],
    "电子信息": ["计算机科学与技术", "通信工程", "软件工程"],
    "绿色食品": ["食品科学与工程", "水产养殖", "农产品加工"],
    "现代服务业": ["企业管理", "文化创意", "工程管理", "科技服务"],
}
OUTSIDE_FIELDS = {
    COLLEGE: ["中药学", "化学工程", "教育学"],
    VOCATIONAL: ["机电一体化", "护理学"],
    AGRI_INSTITUTE: ["农学", "食用菌栽培"],
    HOSPITAL: ["临床医学", "中医学"],
}
# the enterprises that employ most talents weigh more
EMPLOYER_WEIGHT = {
    XIANGJU: 14,
    TASLY: 12,
    BYD: 16,
    HAIEN: 10,
    CLOUD: 6,
    MEIRUI: 3,
    GUOFENG: 4,
    PANLONG: 8,
    YAOBAI: 4,
    QINCHUANGYUAN: 3,
    LVYUAN: 2,
    ZHIYUN: 3,
    KANGYUAN: 3,
    DANJIANG: 2,
    XINDA: 2,
    LEXIANG: 1,
    CONSTRUCTION: 3,
}
REGIONS = ["611002", "611021", "611022", "610113", "610103", "430104", "440305", "410105"]
EXIT_REASONS = ["调离高新区", "离职", "到外地企业工作", "聘期届满未续聘"]
# talent policies: name, what it pays, who (categories), amount in 元 by category
POLICIES = [
    (
        "高层次人才安家补贴",
        "引进的产业领军人才、紧缺高层次人才在高新区购房或租房的安家补贴，分两年兑现。",
        {TalentCategory.LEADING: 200000, TalentCategory.SCARCE: 100000},
    ),
    (
        "人才引进一次性奖励",
        "与高新区企业签订 3 年以上劳动合同的引进人才，一次性奖励。",
        {TalentCategory.LEADING: 50000, TalentCategory.SCARCE: 30000, TalentCategory.YOUNG: 10000},
    ),
    (
        "青年英才生活补贴",
        "在高新区企业工作的硕士以上青年英才，每月 2000 元生活补贴，按年兑现。",
        {TalentCategory.YOUNG: 24000},
    ),
    (
        "技能人才岗位提升补贴",
        "取得技师、高级技师职业资格的技能人才，岗位提升补贴。",
        {TalentCategory.SKILLED: 5000},
    ),
    (
        "“商山英才”计划配套资助",
        "入选市委“商山英才”计划的人才，高新区按市级资助 1:1 配套。",
        {TalentCategory.LEADING: 100000, TalentCategory.SCARCE: 50000},
    ),
]

# -- platforms ------------------------------------------------------------------------------------
PROVINCIAL_RESEARCH = [
    ("陕西省中药饮片炮制工程技术研究中心", XIANGJU),
    ("陕西省秦药资源开发工程技术研究中心", TASLY),
    ("陕西省新能源汽车关键零部件工程技术研究中心", BYD),
    ("陕西省锂离子电池正极材料工程技术研究中心", HAIEN),
    ("陕西省钒钛新材料企业技术中心", PANLONG),
    ("陕西省云计算与大数据应用工程技术研究中心", CLOUD),
    ("陕西省冷水鱼健康养殖工程技术研究中心", GUOFENG),
    ("陕西省秦岭特色生物资源重点实验室", COLLEGE),
    ("陕西省尾矿资源综合利用重点实验室", COLLEGE),
]
MUNICIPAL_RESEARCH = [
    ("商洛市中药配方颗粒工程技术研究中心", XIANGJU),
    ("商洛市中药材质量标准重点实验室", XIANGJU),
    ("商洛市香菊药业企业技术中心", XIANGJU),
    ("商洛市植物提取物工程技术研究中心", TASLY),
    ("商洛市天士力企业技术中心", TASLY),
    ("商洛市汽车方向盘总成工程技术研究中心", BYD),
    ("商洛市比亚迪企业技术中心", BYD),
    ("商洛市储能电池系统工程技术研究中心", HAIEN),
    ("商洛市磷酸铁锂材料重点实验室", HAIEN),
    ("商洛市数据中心节能技术创新中心", CLOUD),
    ("商洛市园区智慧运营工程技术研究中心", MEIRUI),
    ("商洛市冷水鱼种苗繁育工程技术研究中心", GUOFENG),
    ("商洛市钒钛合金材料工程技术研究中心", PANLONG),
    ("商洛市盘龙新材料企业技术中心", PANLONG),
    ("商洛市绿色建材工程技术研究中心", YAOBAI),
    ("商洛市尧柏企业技术中心", YAOBAI),
    ("商洛市科技成果转化服务技术创新中心", QINCHUANGYUAN),
    ("商洛市富硒食品加工工程技术研究中心", LVYUAN),
    ("商洛市核桃深加工重点实验室", LVYUAN),
    ("商洛市智能终端电子工程技术研究中心", ZHIYUN),
    ("商洛市生物发酵工程技术研究中心", KANGYUAN),
    ("商洛市光伏储能应用工程技术研究中心", DANJIANG),
    ("商洛市金属复合材料工程技术研究中心", XINDA),
    ("商洛市数字文创技术创新中心", LEXIANG),
    ("商洛市装配式建筑工程技术研究中心", CONSTRUCTION),
    ("商洛市秦岭中药材种植重点实验室", COLLEGE),
    ("商洛市矿产资源综合利用工程技术研究中心", COLLEGE),
    ("商洛市电子信息技术应用重点实验室", VOCATIONAL),
    ("商洛市食用菌育种工程技术研究中心", AGRI_INSTITUTE),
    ("商洛市茶叶加工工程技术研究中心", AGRI_INSTITUTE),
]
# recognised years ago, withdrawn on 30 June of the seed year: not among the 30 on 31 December
WITHDRAWN = ("商洛市建材检测技术工程技术研究中心", YAOBAI, (6, 30), "年度绩效评价不合格，市科技局撤销认定")
INCUBATOR = ("商洛高新区科技企业孵化器", MEIRUI)
MAKERSPACES = [("秦创原（商洛）众创空间", QINCHUANGYUAN), ("商洛学院大学生众创空间", COLLEGE)]
STARTUP_BASE = ("商洛高新区创业创新示范园创业孵化基地", MEIRUI)
CULTURE_TECH = ("商洛高新区文化和科技融合示范基地", LEXIANG)
# recognised this year: not in the seed year's 44
THIS_YEAR_PLATFORMS = [
    ("陕西省人才创新创业基地（商洛美瑞）", PlatformKind.TALENT_BASE, MEIRUI, (3, 18)),
    ("秦创原（商洛）创新促进中心", PlatformKind.PROMOTION_CENTER, QINCHUANGYUAN, (4, 26)),
]
# incubated (all flagged 孵化企业 by the enterprises' demo): platform, enterprise, entered, left
INCUBATIONS = [
    (INCUBATOR[0], QINCHUANGYUAN, D(2022, 3, 10), None),
    (INCUBATOR[0], ZHIYUN, D(2021, 3, 1), None),
    (INCUBATOR[0], KANGYUAN, D(2020, 6, 1), None),
    (INCUBATOR[0], DANJIANG, D(2022, 9, 1), None),
    (INCUBATOR[0], XINDA, D(2023, 2, 1), None),
    (MAKERSPACES[0][0], LEXIANG, D(2023, 6, 1), None),
    (STARTUP_BASE[0], LVYUAN, D(2019, 10, 1), None),
]
# 绿源 graduates from the 创业孵化基地 in the seed year (still an incubated enterprise)
GRADUATED = (STARTUP_BASE[0], LVYUAN, (9, 30))

# -- innovations ----------------------------------------------------------------------------------
# the seed year's 48 重点科技项目: name, enterprise, level
KEY_PROJECTS = [
    ("秦创原“科学家+工程师”队伍建设项目（天士力）", TASLY, InnovationLevel.PROVINCIAL),
    ("改性磷酸铁锂正极材料及储能电池项目", HAIEN, InnovationLevel.PROVINCIAL),
    ("中药配方颗粒质量标准研究", XIANGJU, InnovationLevel.PROVINCIAL),
    ("香菊胶囊二次开发与临床再评价", XIANGJU, InnovationLevel.PROVINCIAL),
    ("秦岭道地药材饮片智能炮制生产线", XIANGJU, InnovationLevel.MUNICIPAL),
    ("中药提取废渣资源化利用", XIANGJU, InnovationLevel.MUNICIPAL),
    ("丹参酮提取纯化新工艺", TASLY, InnovationLevel.NATIONAL),
    ("绞股蓝总皂苷标准化提取", TASLY, InnovationLevel.MUNICIPAL),
    ("植物药数字化质量追溯系统", TASLY, InnovationLevel.MUNICIPAL),
    ("新能源汽车方向盘轻量化设计", BYD, InnovationLevel.PROVINCIAL),
    ("汽车安全气囊总成自动化装配线", BYD, InnovationLevel.MUNICIPAL),
    ("车规级线束智能检测装备", BYD, InnovationLevel.MUNICIPAL),
    ("汽车内饰件低挥发性有机物材料应用", BYD, InnovationLevel.MUNICIPAL),
    ("高压实磷酸铁锂正极材料产业化", HAIEN, InnovationLevel.NATIONAL),
    ("储能电池热管理系统研发", HAIEN, InnovationLevel.PROVINCIAL),
    ("锂电池回收梯次利用技术", HAIEN, InnovationLevel.MUNICIPAL),
    ("数据中心液冷节能改造", CLOUD, InnovationLevel.PROVINCIAL),
    ("政务云容灾备份平台", CLOUD, InnovationLevel.MUNICIPAL),
    ("工业互联网标识解析二级节点", CLOUD, InnovationLevel.PROVINCIAL),
    ("园区企业服务数字化平台", MEIRUI, InnovationLevel.MUNICIPAL),
    ("冷水鱼循环水工厂化养殖", GUOFENG, InnovationLevel.PROVINCIAL),
    ("虹鳟鱼良种选育", GUOFENG, InnovationLevel.MUNICIPAL),
    ("水产品冷链保鲜技术", GUOFENG, InnovationLevel.MUNICIPAL),
    ("钒钛微合金化钢材研制", PANLONG, InnovationLevel.PROVINCIAL),
    ("五氧化二钒清洁生产工艺", PANLONG, InnovationLevel.PROVINCIAL),
    ("钒电池电解液制备", PANLONG, InnovationLevel.MUNICIPAL),
    ("钒渣综合回收利用", PANLONG, InnovationLevel.MUNICIPAL),
    ("尾矿制备绿色建材", YAOBAI, InnovationLevel.PROVINCIAL),
    ("水泥窑协同处置固废", YAOBAI, InnovationLevel.MUNICIPAL),
    ("低碳水泥熟料烧成技术", YAOBAI, InnovationLevel.MUNICIPAL),
    ("科技成果转化公共服务平台", QINCHUANGYUAN, InnovationLevel.PROVINCIAL),
    ("富硒核桃乳饮料开发", LVYUAN, InnovationLevel.MUNICIPAL),
    ("秦岭山野菜保鲜加工", LVYUAN, InnovationLevel.MUNICIPAL),
    ("智能终端主板表面贴装工艺优化", ZHIYUN, InnovationLevel.MUNICIPAL),
    ("物联网环境监测终端研发", ZHIYUN, InnovationLevel.PROVINCIAL),
    ("微生物发酵饲料添加剂", KANGYUAN, InnovationLevel.MUNICIPAL),
    ("益生菌制剂中试", KANGYUAN, InnovationLevel.MUNICIPAL),
    ("分布式光伏储能一体化", DANJIANG, InnovationLevel.MUNICIPAL),
    ("光伏组件智能运维系统", DANJIANG, InnovationLevel.MUNICIPAL),
    ("铝基复合材料压铸工艺", XINDA, InnovationLevel.MUNICIPAL),
    ("镁合金轻量化构件", XINDA, InnovationLevel.PROVINCIAL),
    ("秦岭文化数字展陈系统", LEXIANG, InnovationLevel.MUNICIPAL),
    ("装配式建筑构件标准化设计", CONSTRUCTION, InnovationLevel.MUNICIPAL),
    ("海绵城市透水铺装技术", CONSTRUCTION, InnovationLevel.MUNICIPAL),
    ("商洛道地药材种质资源库建设", None, InnovationLevel.PROVINCIAL),
    ("高新区碳排放监测平台", None, InnovationLevel.MUNICIPAL),
    ("中药材规范化种植示范基地", XIANGJU, InnovationLevel.MUNICIPAL),
    ("储能电站安全预警系统", HAIEN, InnovationLevel.MUNICIPAL),
]
THIS_YEAR_PROJECTS = [
    ("钠离子电池正极材料中试", HAIEN, InnovationLevel.PROVINCIAL, (2, 20)),
    ("中药饮片智能仓储物流系统", XIANGJU, InnovationLevel.MUNICIPAL, (4, 12)),
]
# 科技成果: name, enterprise, level, award (the note), (month, day) in the seed year
ACHIEVEMENTS = [
    (
        "秦岭特色中药材规范化种植与饮片炮制关键技术",
        XIANGJU,
        InnovationLevel.PROVINCIAL,
        "陕西省科学技术奖二等奖",
        (5, 20),
    ),
    (
        "高压实密度磷酸铁锂正极材料制备技术",
        HAIEN,
        InnovationLevel.PROVINCIAL,
        "陕西省科学技术奖三等奖",
        (5, 20),
    ),
    (
        "钒钛微合金化新材料制备关键技术及产业化",
        PANLONG,
        InnovationLevel.PROVINCIAL,
        "陕西省科学技术奖二等奖",
        (5, 20),
    ),
    (
        "丹参等秦药资源综合利用技术",
        TASLY,
        InnovationLevel.NATIONAL,
        "中国产学研合作创新成果奖一等奖",
        (11, 8),
    ),
]
MUNICIPAL_ACHIEVEMENTS = [
    ("冷水鱼工厂化循环水养殖技术", GUOFENG, "商洛市科学技术奖一等奖", (9, 12)),
    ("富硒核桃乳饮料加工工艺", LVYUAN, "商洛市科学技术奖二等奖", (9, 12)),
    ("数据中心液冷节能技术应用", CLOUD, "商洛市科学技术奖三等奖", (9, 12)),
]
# the seed's 75 patents by kind, and the enterprises that hold them (weights)
PATENT_MIX = [(PatentKind.INVENTION, 18), (PatentKind.UTILITY, 42), (PatentKind.DESIGN, 15)]
PATENT_DIGIT = {PatentKind.INVENTION: 1, PatentKind.UTILITY: 2, PatentKind.DESIGN: 3}
PATENT_HOLDERS = {
    XIANGJU: ("生物医药", 12),
    TASLY: ("生物医药", 10),
    BYD: ("新能源", 9),
    HAIEN: ("新能源", 11),
    CLOUD: ("电子信息", 4),
    PANLONG: ("新材料", 9),
    YAOBAI: ("新材料", 4),
    GUOFENG: ("绿色食品", 4),
    LVYUAN: ("绿色食品", 3),
    ZHIYUN: ("电子信息", 4),
    KANGYUAN: ("生物医药", 3),
    XINDA: ("新材料", 2),
}
# per cluster: (subject, what about it an invention or a utility model protects) and the
# products of its design patents
PATENT_SUBJECTS = {
    "生物医药": (
        [
            ("中药饮片", ["炮制方法", "切片装置", "蒸制设备", "质量检测方法"]),
            ("丹参提取物", ["制备方法", "提取装置", "纯化工艺"]),
            ("中药颗粒剂", ["制备方法", "制粒设备", "包装装置"]),
            ("天麻", ["干燥设备", "加工方法"]),
            ("连翘提取液", ["浓缩装置", "制备方法"]),
            ("中药材", ["烘干设备", "清洗装置", "筛选装置"]),
            ("绞股蓝", ["提取方法", "杀青设备"]),
            ("益生菌制剂", ["发酵罐", "冻干方法"]),
        ],
        ["中药饮片包装盒", "颗粒剂包装袋", "药材烘干机"],
    ),
    "新能源": (
        [
            ("磷酸铁锂正极材料", ["制备方法", "烧结装置", "包覆工艺"]),
            ("储能电池模组", ["散热结构", "固定支架", "连接结构"]),
            ("汽车方向盘骨架", ["成型模具", "检测装置"]),
            ("电池包壳体", ["密封结构", "焊接工装"]),
            ("汽车线束", ["检测装置", "压接设备"]),
            ("电池极片", ["涂布装置", "辊压设备"]),
            ("安全气囊总成", ["装配工装", "折叠装置", "检测设备"]),
            ("储能变流器", ["控制方法", "散热装置"]),
            ("锂电池", ["回收方法", "拆解设备", "化成装置"]),
        ],
        ["储能电池柜", "方向盘", "电池包外壳"],
    ),
    "新材料": (
        [
            ("钒钛合金", ["冶炼方法", "热处理工艺"]),
            ("五氧化二钒", ["提纯工艺", "焙烧装置"]),
            ("钒电池电解液", ["制备方法", "配制装置"]),
            ("铝基复合材料", ["压铸模具", "制备方法"]),
            ("尾矿", ["粉碎装置", "制砖方法", "分选设备"]),
            ("水泥熟料", ["烧成系统", "除尘设备", "冷却装置"]),
            ("镁合金构件", ["挤压模具", "表面处理方法"]),
        ],
        ["合金锭", "透水砖", "建材砌块"],
    ),
    "电子信息": (
        [
            ("服务器机柜", ["液冷散热系统", "安装结构"]),
            ("环境监测终端", ["监测方法", "防水外壳"]),
            ("智能网关", ["通信装置", "安装支架"]),
            ("电路主板", ["测试治具", "焊接工装"]),
        ],
        ["智能网关", "监测终端"],
    ),
    "绿色食品": (
        [
            ("冷水鱼", ["循环水养殖系统", "增氧装置", "分级装置"]),
            ("富硒核桃乳", ["加工方法", "均质设备"]),
            ("山野菜", ["保鲜方法", "清洗装置"]),
            ("鱼苗", ["孵化设备", "运输箱"]),
            ("核桃仁", ["脱皮机", "烘烤装置"]),
        ],
        ["核桃乳包装罐", "鱼饲料包装袋"],
    ),
}
THIS_YEAR_PATENTS = 3
PENDING_PATENT = ("一种丹参提取物的大孔树脂纯化方法", TASLY)
# 校地合作: name, enterprise (None: the zone's own), universities, what was set up, (month, day), year offset
UNIVERSITIES = [
    "西安交通大学",
    "西北大学",
    "西安理工大学",
    "西安邮电大学",
    "西北工业大学",
    "西安电子科技大学",
    "陕西师范大学",
    "西北农林科技大学",
    "长安大学",
    "陕西科技大学",
    "商洛学院",
]
COOPERATIONS = [
    (
        "海恩电池—西安交通大学储能材料联合研发中心",
        HAIEN,
        ["西安交通大学"],
        CooperationForm.RESEARCH_CENTER,
        (3, 16),
        0,
        "与西安交大徐友龙教授团队合作开发改性磷酸铁锂正极材料及储能电池项目",
    ),
    (
        "香菊药业—西北大学中药现代化联合实验室",
        XIANGJU,
        ["西北大学"],
        CooperationForm.LABORATORY,
        (4, 8),
        -1,
        "",
    ),
    (
        "盘龙新材料—西安理工大学钒钛材料研发中心",
        PANLONG,
        ["西安理工大学"],
        CooperationForm.RESEARCH_CENTER,
        (6, 2),
        0,
        "",
    ),
    (
        "秦岭云计算—西安邮电大学大数据联合实验室",
        CLOUD,
        ["西安邮电大学"],
        CooperationForm.LABORATORY,
        (5, 19),
        -1,
        "",
    ),
    (
        "天士力秦药资源综合利用产学研合作",
        TASLY,
        ["西北大学", "陕西师范大学"],
        CooperationForm.PROJECT,
        (7, 11),
        0,
        "“科学家+工程师”队伍建设",
    ),
    (
        "比亚迪—长安大学汽车零部件研发中心",
        BYD,
        ["长安大学"],
        CooperationForm.RESEARCH_CENTER,
        (9, 23),
        -1,
        "",
    ),
    (
        "智云电子—西安电子科技大学物联网实验室",
        ZHIYUN,
        ["西安电子科技大学"],
        CooperationForm.LABORATORY,
        (8, 15),
        0,
        "",
    ),
    (
        "国峰水产—西北农林科技大学冷水鱼研发中心",
        GUOFENG,
        ["西北农林科技大学"],
        CooperationForm.RESEARCH_CENTER,
        (3, 28),
        -2,
        "",
    ),
    (
        "绿源食品富硒食品开发合作",
        LVYUAN,
        ["西北农林科技大学", "陕西科技大学"],
        CooperationForm.PROJECT,
        (10, 9),
        0,
        "",
    ),
    ("尧柏新材料尾矿建材合作", YAOBAI, ["长安大学"], CooperationForm.PROJECT, (11, 2), -1, ""),
    (
        "鑫达新材料—西北工业大学轻合金实验室",
        XINDA,
        ["西北工业大学"],
        CooperationForm.LABORATORY,
        (5, 6),
        0,
        "",
    ),
    ("康源生物—商洛学院微生物发酵合作", KANGYUAN, ["商洛学院"], CooperationForm.PROJECT, (4, 18), 0, ""),
    (
        "商洛学院大学科技园共建",
        MEIRUI,
        ["商洛学院"],
        CooperationForm.OTHER,
        (6, 28),
        0,
        "与市科技局、商洛学院签订三方协议共同推动大学科技园建设",
    ),
    ("海恩电池—西北工业大学电池安全合作", HAIEN, ["西北工业大学"], CooperationForm.PROJECT, (10, 30), 0, ""),
    (
        "香菊药业—陕西师范大学天然产物实验室",
        XIANGJU,
        ["陕西师范大学"],
        CooperationForm.LABORATORY,
        (12, 12),
        0,
        "",
    ),
    (
        "高新区—西安交通大学科技成果转化合作",
        None,
        ["西安交通大学", "西北大学"],
        CooperationForm.OTHER,
        (2, 26),
        0,
        "高新区管委会与高校签订科技成果转化战略合作协议",
    ),
]
# 院士专家: name, honour, institution, enterprise, topic, (month, day) agreed in the seed year
EXPERTS = [
    (
        "周振华",
        "中国工程院院士",
        "中国中医科学院",
        TASLY,
        "秦药资源综合开发，“科学家+工程师”队伍建设",
        (3, 6),
    ),
    ("杨世宏", "中国工程院院士", "西北有色金属研究院", PANLONG, "钒钛新材料精深加工关键技术", (4, 16)),
    ("林慧敏", "中国科学院院士", "中国科学院物理研究所", HAIEN, "高安全储能电池材料", (5, 22)),
    ("郑国栋", "中国工程院院士", "中国水产科学研究院", GUOFENG, "冷水鱼良种选育与健康养殖", (7, 8)),
    ("韩立群", "长江学者特聘教授", "西北大学", XIANGJU, "中药饮片炮制工艺与质量标准", (9, 15)),
]


def patent_number(year: int, kind: str, serial: int) -> str:
    """A patent number as CNIPA writes it: ZL, the application's year, its kind digit (1 发明,
    2 实用新型, 3 外观设计), a 7-digit serial and the check digit (weights 2–9 over the 12 digits,
    mod 11, 10 written X)."""
    digits = f"{year}{PATENT_DIGIT[kind]}{serial:07d}"
    weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
    check = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    return f"ZL{digits}.{'X' if check == 10 else check}"


class TalentLoader(DemoPart):
    def load(self):
        self.year = self.today.year - 1
        self.enterprises = self.zone.shared["enterprises"]
        self.root = self.zone.shared["orgs"][ROOT_NAME]
        self.login()
        self.talents()
        self.supports()
        self.experts()
        self.platforms()
        self.innovations()
        self.submission()
        self.zone.say(
            f"人才与创新：{self.year}年动态入库 {SEED_INTAKE} 人、创新平台 44 个、重点科技项目 {len(KEY_PROJECTS)} 个、"
            f"省级以上科技成果 {len(ACHIEVEMENTS)} 项、专利 {sum(n for _, n in PATENT_MIX)} 个、"
            f"合作高校 {len(UNIVERSITIES)} 所、院士专家 {len(EXPERTS)} 名"
        )

    def day(self, month_day, year=None):
        return D(year or self.year, *month_day)

    def this_year(self, month_day):
        """A day of this year, not after today."""
        return min(self.day(month_day, self.today.year), self.today)

    def enterprise(self, name):
        return self.enterprises.get(name) if name else None

    # -- the demo login ---------------------------------------------------------------------------
    def login(self):
        user = account_services.user_save(
            actor=None,
            user=User(username=LOGIN, full_name="柳文静", title="高新区人才办工作人员"),
            password=DEMO_PASSWORD,
        )
        account_services.grant_save(
            actor=None,
            grant=Grant(user=user, role=Role.objects.get(code="talent_staff"), organization=self.root),
        )
        self.office = user

    # -- the talent pool --------------------------------------------------------------------------
    def employer(self):
        rng = self.rng
        if rng.random() < 0.12:
            return None, rng.choice(OUTSIDE_UNITS)
        names = list(EMPLOYER_WEIGHT)
        name = rng.choices(names, weights=[EMPLOYER_WEIGHT[n] for n in names])[0]
        return self.enterprises[name], ""

    def talent(self, index, name, category, intake_on):
        rng = self.rng
        (born_from, born_to), introduced, educations, titles = PROFILE[category]
        enterprise, unit = self.employer()
        fields = FIELDS[enterprise.cluster.name] if enterprise else OUTSIDE_FIELDS[unit]
        sex = rng.choice(["男", "男", "女"])
        id_number = ""
        if rng.random() < 0.6:
            birth = D(rng.randint(born_from, born_to), rng.randint(1, 12), rng.randint(1, 28))
            id_number = make_id_number(birth, 100 + index, sex, region=rng.choice(REGIONS))
        return services.talent_save(
            actor=None,
            name=name,
            id_number=id_number,
            phone=self.zone.mobile() if rng.random() < 0.7 else "",
            category=category,
            source=TalentSource.INTRODUCED if rng.random() < introduced else TalentSource.TRAINED,
            enterprise=enterprise,
            employer=unit,
            education=rng.choice(educations),
            title=rng.choice(titles),
            field=rng.choice(fields),
            intake_on=intake_on,
        )

    def talents(self):
        rng = self.rng
        names = distinct_names(rng, SEED_INTAKE + EARLIER + THIS_YEAR)
        categories = [category for category, count in INTAKE_MIX for _ in range(count)]
        rng.shuffle(categories)
        first, last = D(self.year, 1, 1), D(self.year, 12, 31)
        # the seed year's 175, the first on 1 January and the last on 31 December
        days = [first, last, *sorted(first + DAY * rng.randint(0, 364) for _ in range(SEED_INTAKE - 2))]
        self.seed_talents = [self.talent(i, names[i], categories[i], days[i]) for i in range(SEED_INTAKE)]
        # in the pool before: over the two years before, the last taken in on 31 December
        earlier_days = [D(self.year - 1, 12, 31)] + [
            D(self.year - 2, 1, 1) + DAY * rng.randint(0, 700) for _ in range(EARLIER - 1)
        ]
        earlier_categories = [TalentCategory.LEADING] * 4 + [TalentCategory.SCARCE] * 8
        earlier_categories += [TalentCategory.YOUNG] * 8 + [TalentCategory.SKILLED] * 8
        self.earlier = [
            self.talent(SEED_INTAKE + i, names[SEED_INTAKE + i], earlier_categories[i], earlier_days[i])
            for i in range(EARLIER)
        ]
        # this year's first intakes
        span = (self.today - D(self.today.year, 1, 1)).days
        base = SEED_INTAKE + EARLIER
        for i in range(THIS_YEAR):
            category = rng.choice([c for c, _ in INTAKE_MIX])
            self.talent(
                base + i, names[base + i], category, D(self.today.year, 1, 1) + DAY * rng.randint(0, span)
            )
        # who left: two earlier talents in the seed year (one on 31 December, so not in the pool
        # at its end), three of the seed year's in it and two this year
        leavers = [
            (self.earlier[3], D(self.year, 12, 31)),
            (self.earlier[9], D(self.year, 7, 15)),
            (self.seed_talents[20], None),
            (self.seed_talents[60], None),
            (self.seed_talents[90], None),
        ]
        for talent, on in leavers:
            on = on or min(talent.intake_on + DAY * rng.randint(60, 200), D(self.year, 12, 30))
            services.talent_exit(actor=None, talent=talent, on=on, reason=rng.choice(EXIT_REASONS))
        for talent in (self.seed_talents[30], self.seed_talents[110]):
            services.talent_exit(
                actor=None, talent=talent, on=self.this_year((2, 28)), reason=rng.choice(EXIT_REASONS)
            )

    def supports(self):
        rng = self.rng
        policies = [
            services.policy_save(
                actor=None, instance=TalentPolicy(name=name, description=text, sort_order=index)
            )
            for index, (name, text, _) in enumerate(POLICIES, 1)
        ]
        for talent in [*self.earlier, *self.seed_talents]:
            if talent.exit_on and talent.exit_on <= D(self.year, 12, 31):
                continue
            for policy, (_, _, amounts) in zip(policies, POLICIES, strict=True):
                amount = amounts.get(talent.category)
                if amount is None or rng.random() > 0.45:
                    continue
                if policy.name == "高层次人才安家补贴" and talent.source != TalentSource.INTRODUCED:
                    continue
                if policy.name == "技能人才岗位提升补贴" and talent.title not in ("技师", "高级技师"):
                    continue
                # paid one to four months after the intake, not after today
                paid = min(talent.intake_on + DAY * rng.randint(30, 120), self.today)
                services.support_save(
                    actor=None,
                    talent=talent,
                    policy=policy,
                    paid_on=paid,
                    amount=Decimal(amount),
                    note="经人才工作领导小组审定，转账兑现",
                )

    def experts(self):
        for name, honour, institution, enterprise, topic, agreed in EXPERTS:
            services.expert_save(
                actor=None,
                name=name,
                honour=honour,
                institution=institution,
                enterprise=self.enterprises[enterprise],
                topic=topic,
                agreed_on=self.day(agreed),
                agreed_until=self.day(agreed, self.year + 3) - DAY,
                note="院士专家工作站柔性引进",
            )

    # -- platforms --------------------------------------------------------------------------------
    def platform(self, name, kind, level, host, recognised, month_only=False):
        return services.platform_save(
            actor=None,
            name=name,
            kind=kind,
            level=level,
            host=host,
            recognised_on=recognised,
            recognised_month_only=month_only,
        )

    def recognised(self):
        """A recognition day between 2016 and the seed year's autumn; a few known only by month."""
        rng = self.rng
        day = D(rng.randint(2016, self.year), rng.randint(1, 10), rng.randint(1, 28))
        if rng.random() < 0.2:
            return day.replace(day=1), True
        return day, False

    def platforms(self):
        research, provincial, municipal = (
            PlatformKind.RESEARCH,
            PlatformLevel.PROVINCIAL,
            PlatformLevel.MUNICIPAL,
        )
        for name, host in PROVINCIAL_RESEARCH:
            self.platform(name, research, provincial, host, *self.recognised())
        for name, host in MUNICIPAL_RESEARCH[:-1]:
            self.platform(name, research, municipal, host, *self.recognised())
        # the last of the 30 recognised on 31 December of the seed year: counted on that day
        name, host = MUNICIPAL_RESEARCH[-1]
        self.platform(name, research, municipal, host, D(self.year, 12, 31))
        name, host, withdrawn, reason = WITHDRAWN
        withdrawn_platform = self.platform(name, research, municipal, host, D(2018, 5, 1), True)
        services.platform_withdraw(
            actor=None, platform=withdrawn_platform, on=self.day(withdrawn), reason=reason
        )
        incubators = {}
        incubators[INCUBATOR[0]] = self.platform(
            INCUBATOR[0], PlatformKind.INCUBATOR, provincial, INCUBATOR[1], D(2019, 11, 20)
        )
        for (name, host), recognised in zip(MAKERSPACES, (D(2020, 12, 8), D(2021, 9, 1)), strict=True):
            incubators[name] = self.platform(name, PlatformKind.MAKERSPACE, provincial, host, recognised)
        incubators[STARTUP_BASE[0]] = self.platform(
            STARTUP_BASE[0], PlatformKind.STARTUP_BASE, provincial, STARTUP_BASE[1], D(2018, 10, 1), True
        )
        self.platform(
            CULTURE_TECH[0], PlatformKind.CULTURE_TECH, provincial, CULTURE_TECH[1], self.day((11, 18))
        )
        for name, kind, host, recognised in THIS_YEAR_PLATFORMS:
            self.platform(name, kind, provincial, host, self.this_year(recognised))
        incubations = {}
        for platform, enterprise, entered, left in INCUBATIONS:
            incubations[(platform, enterprise)] = services.incubation_save(
                actor=None,
                platform=incubators[platform],
                enterprise=self.enterprises[enterprise],
                entered_on=entered,
                left_on=left,
            )
        platform, enterprise, left = GRADUATED
        services.incubation_save(
            actor=None,
            instance=incubations[(platform, enterprise)],
            left_on=self.day(left),
            note="孵化期满毕业，迁入高新区标准化厂房",
        )

    # -- innovations ------------------------------------------------------------------------------
    def innovations(self):
        self.key_projects()
        self.achievements()
        self.patents()
        self.cooperations()

    def key_projects(self):
        rng = self.rng
        start = D(self.year - 2, 1, 1)
        span = (D(self.year, 12, 31) - start).days
        count = len(KEY_PROJECTS)
        for index, (name, enterprise, level) in enumerate(KEY_PROJECTS):
            # the last one approved on 31 December of the seed year
            dated = D(self.year, 12, 31) if index == count - 1 else start + DAY * rng.randint(0, span)
            services.innovation_save(
                actor=None,
                name=name,
                kind=InnovationKind.KEY_PROJECT,
                level=level,
                enterprise=self.enterprise(enterprise),
                dated_on=dated,
                ends_on=dated + DAY * rng.choice((365, 730, 1095)),
                funding=Decimal(rng.randint(5, 80) * 10),
                note="组织党员立项攻关",
            )
        for name, enterprise, level, dated in THIS_YEAR_PROJECTS:
            dated = self.this_year(dated)
            services.innovation_save(
                actor=None,
                name=name,
                kind=InnovationKind.KEY_PROJECT,
                level=level,
                enterprise=self.enterprise(enterprise),
                dated_on=dated,
                ends_on=dated + DAY * 730,
                funding=Decimal(300),
            )

    def achievements(self):
        for name, enterprise, level, award, dated in ACHIEVEMENTS:
            services.innovation_save(
                actor=None,
                name=name,
                kind=InnovationKind.ACHIEVEMENT,
                level=level,
                enterprise=self.enterprise(enterprise),
                dated_on=self.day(dated),
                note=award,
            )
        for name, enterprise, award, dated in MUNICIPAL_ACHIEVEMENTS:
            services.innovation_save(
                actor=None,
                name=name,
                kind=InnovationKind.ACHIEVEMENT,
                level=InnovationLevel.MUNICIPAL,
                enterprise=self.enterprise(enterprise),
                dated_on=self.day(dated),
                note=award,
            )

    def patent_name(self, cluster, kind, used):
        rng = self.rng
        subjects, designs = PATENT_SUBJECTS[cluster]
        for attempt in range(1000):
            subject, methods = rng.choice(subjects)
            if kind == PatentKind.DESIGN:
                name = f"{rng.choice(designs)}（{rng.choice(['一', '二', '三', '四', '五'])}）"
            elif kind == PatentKind.INVENTION:
                name = f"一种{subject}的{rng.choice(methods)}"
            else:
                name = f"一种{subject}{rng.choice(methods)}"
            if attempt > 40:  # the cluster's names are used up: number them
                name = f"{name}（{attempt}）"
            if name not in used:
                used.add(name)
                return name
        raise RuntimeError(f"no patent name left for {cluster}")

    def patent(self, kind, granted, used, serial):
        rng = self.rng
        holders = list(PATENT_HOLDERS)
        holder = rng.choices(holders, weights=[PATENT_HOLDERS[h][1] for h in holders])[0]
        cluster = PATENT_HOLDERS[holder][0]
        applied = granted.year - (
            rng.choice((1, 1, 2)) if kind == PatentKind.INVENTION else rng.choice((0, 1))
        )
        return services.innovation_save(
            actor=None,
            name=self.patent_name(cluster, kind, used),
            kind=InnovationKind.PATENT,
            enterprise=self.enterprises[holder],
            dated_on=granted,
            patent_kind=kind,
            patent_number=patent_number(applied, kind, serial),
        )

    def patents(self):
        rng = self.rng
        kinds = [kind for kind, count in PATENT_MIX for _ in range(count)]
        rng.shuffle(kinds)
        start = D(self.year - 3, 1, 1)
        span = (D(self.year, 12, 31) - start).days
        used = {PENDING_PATENT[0]}
        for index, kind in enumerate(kinds):
            # the last of the 75 granted on 31 December of the seed year
            granted = D(self.year, 12, 31) if index == len(kinds) - 1 else start + DAY * rng.randint(0, span)
            self.patent(kind, granted, used, 1024 + index * 37)
        # this year's: the first granted on 1 January (not among the seed year's 75)
        for index in range(THIS_YEAR_PATENTS):
            granted = D(self.today.year, 1, 1) if index == 0 else self.this_year((index * 3, 10))
            self.patent(PatentKind.UTILITY, granted, used, 7000 + index * 41)

    def cooperations(self):
        for name, enterprise, universities, form, dated, offset, note in COOPERATIONS:
            services.innovation_save(
                actor=None,
                name=name,
                kind=InnovationKind.COOPERATION,
                enterprise=self.enterprise(enterprise),
                dated_on=self.day(dated, self.year + offset),
                form=form,
                universities=universities,
                note=note,
            )

    # -- what an enterprise submitted -------------------------------------------------------------
    def submission(self):
        """The demo enterprise contact submits a patent: it waits for the talent office (待确认)."""
        name, enterprise = PENDING_PATENT
        contact = User.objects.get(username="enterprise")
        services.innovation_save(
            actor=contact,
            name=name,
            kind=InnovationKind.PATENT,
            enterprise=self.enterprises[enterprise],
            dated_on=self.day((11, 20)),
            patent_kind=PatentKind.INVENTION,
            patent_number=patent_number(self.year - 1, PatentKind.INVENTION, 5821),
            note="企业联络员提交，附专利证书扫描件",
        )


# after the users (the enterprise contact submits a patent) and last: the shared random
# generator's draws of the earlier parts stay as they were
@demo_loader(
    order=90, logins=[(10, LOGIN, "人才工作人员：全区人才库、创新平台和科技创新，确认企业提交的人才和专利")]
)
def load_talent(demo):
    TalentLoader(demo).load()
