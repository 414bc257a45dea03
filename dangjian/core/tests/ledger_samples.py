"""One filled row for every ledger, on the test zone (dangjian.testing.factories.Zone): its
record's label in messages, a column to change with the old and new value as the dry run shows
them (personal data masked), and a bad cell with what its error says."""

import datetime
from dataclasses import dataclass, field

from dangjian.core.testing.codes import make_credit_code, make_id_number
from dangjian.testing.factories import make_member

MEMBER_ID = make_id_number(datetime.date(1990, 5, 6), 901, "男")
APPLICANT_ID = make_id_number(datetime.date(1995, 3, 4), 902, "女")
PAYER_ID = make_id_number(datetime.date(1988, 1, 2), 903, "男")
TALENT_ID = make_id_number(datetime.date(1992, 8, 9), 904, "女")
NEW_CODE = make_credit_code(777)


@dataclass
class Sample:
    row: dict  # header -> cell
    record: str  # how messages name the row's record
    change: tuple  # (header, new cell, old as shown, new as shown)
    bad: tuple  # (header, cell, the reason the error gives)
    setup: object = None  # makes what the row refers to, given the zone
    extra: dict = field(default_factory=dict)


def _payer(zone):
    make_member(zone.branch_a1, name="交费人", id_number=PAYER_ID)


def _cadre(zone):
    from dangjian.projects.tests.factories import make_cadre

    make_cadre("王包抓", phone="13912345678")


SAMPLES = {
    "organizations": Sample(
        row={"组织名称": "丙党支部", "组织类别": "党支部", "上级组织": "测试高新区党工委"},
        record="丙党支部",
        change=("组织简称", "丙支部", "", "丙支部"),
        bad=("成立日期", "2016年13月1日", "日期不存在（2016年13月1日）"),
    ),
    "posts": Sample(
        row={"名称": "甲一示范岗", "类型": "党员示范岗", "所属党组织": "甲一党支部"},
        record="甲一示范岗",
        change=("设立日期", "2020.07", "", "2020.07"),
        bad=("类型", "先锋岗", "“先锋岗”不是可选值（党员活动室、党群服务中心、党员责任区、党员示范岗）"),
    ),
    "enterprises": Sample(
        row={
            "企业名称": "丙企业",
            "统一社会信用代码": NEW_CODE,
            "所属产业": "新材料",
            "联系电话": "13800138000",
        },
        record="丙企业",
        change=("联系电话", "13900139000", "*******8000", "*******9000"),
        bad=("从业人数", "很多", "“很多”不是数字"),
    ),
    "enterprise_years": Sample(
        row={"统一社会信用代码": None, "年度": 2024, "营业收入（万元）": 1000},  # 甲企业's code
        record="甲企业 2024",
        change=("营业收入（万元）", "1200.5", "1000", "1200.5"),
        bad=("营业收入（万元）", "-5", "不能小于 0"),
    ),
    "members": Sample(
        row={
            "姓名": "张三",
            "公民身份号码": MEMBER_ID,
            "人员类别": "正式党员",
            "入党日期": "2015-07-01",
            "转正日期": "2016-07-01",
            "所在党组织": "甲一党支部",
            "手机号码": "13800138000",
        },
        record="张三",
        change=("手机号码", "13900139000", "*******8000", "*******9000"),
        bad=("学历", "博士后", "“博士后”不是可选值（研究生、大学本科、大学专科、中专、高中、初中及以下）"),
    ),
    "development": Sample(
        row={
            "姓名": "李四",
            "公民身份号码": APPLICANT_ID,
            "所在党组织": "甲一党支部",
            "申请入党日期": "2023-01-01",
        },
        record="李四",
        change=("确定积极分子日期", "2023-06-01", "", "2023-06-01"),
        bad=("申请入党日期", "去年", "“去年”不是可识别的日期（如 2023-07-01、2023年7月1日）"),
    ),
    "dues_payments": Sample(
        row={
            "公民身份号码": PAYER_ID,
            "姓名": "交费人",
            "所属月份": "2025.03",
            "金额（元）": 40,
            "交纳日期": "2025-03-10",
        },
        record="交费人 2025.03",
        change=("金额（元）", 50, "40", "50"),
        bad=("交纳日期", "三月", "“三月”不是可识别的日期（如 2023-07-01、2023年7月1日）"),
        setup=_payer,
    ),
    "meetings": Sample(
        row={"党组织": "甲一党支部", "会议类型": "主题党日", "日期": "2025-03-15", "主题": "学习党章"},
        record="甲一党支部 2025-03-15 学习党章",
        change=("主持人", "张书记", "", "张书记"),
        bad=("应到人数", "十", "“十”不是数字"),
    ),
    "trainings": Sample(
        row={"培训名称": "党务培训班", "培训类型": "专题培训班", "开始日期": "2025-03-01", "参训人次": 30},
        record="党务培训班",
        change=("参训人次", 35, "30", "35"),
        bad=("结束日期", "2025-02-30", "日期不存在（2025年2月30日）"),
    ),
    "activities": Sample(
        row={"活动名称": "植树", "活动类型": "公益活动", "日期": "2025-03-12"},
        record="植树",
        change=("参与企业", "甲企业、乙企业", "", "乙企业、甲企业"),  # as the export lists them
        bad=("捐款金额（元）", "-100", "不能小于 0"),
    ),
    "documents": Sample(
        row={"文号": "高新党工委发〔2025〕1号", "标题": "关于开展主题党日的通知", "发文日期": "2025-01-05"},
        record="高新党工委发〔2025〕1号 关于开展主题党日的通知",
        change=("文件类别", "通知", "", "通知"),
        bad=("文件类别", "公告", "“公告”不是可选值（指导性文件、通知、方案、其他）"),
    ),
    "cadres": Sample(
        row={"姓名": "赵干部", "手机号码": "13700137000"},
        record="赵干部",
        change=("职务", "主任", "", "主任"),
        bad=("出生日期", "1985.13", "月份 13 不存在"),
    ),
    "projects": Sample(
        row={"项目名称": "一号项目", "总投资（万元）": 5000},
        record="一号项目",
        change=("包抓干部", "王包抓", "", "王包抓"),
        bad=("建设状态", "停工", "“停工”不是可选值（前期、在建、竣工、投产）"),
        setup=_cadre,
    ),
    "problems": Sample(
        row={
            "问题编号": "W-1",
            "问题来源": "项目包抓",
            "问题类别": "融资",
            "问题描述": "缺少流动资金",
            "提出日期": "2025-03-01",
            "办理状态": "待办",
        },
        record="W-1 缺少流动资金",
        change=("办理时限", "2025-04-30", "", "2025-04-30"),
        bad=(
            "问题类别",
            "资金",
            "“资金”不是可选值（融资、用工、审批、产销、施工、验收、要素保障、政策、就业创业、其他）",
        ),
    ),
    "requests": Sample(
        row={
            "事项编号": "S-1",
            "企业名称": "甲企业",
            "事项类型": "诉求",
            "事项名称": "用地审批",
            "受理日期": "2025-03-01",
            "办理状态": "已受理",
        },
        record="S-1 甲企业 用地审批",
        change=("办理方式", "代办", "", "代办"),
        bad=("满意度", 6, "不能大于 5"),
    ),
    "ratings": Sample(
        row={"党组织": "乙企业党支部", "年度": "2024", "星级": "四星级", "得分": "85"},
        record="乙企业党支部 2024",
        change=("星级", "五星级", "四星级", "五星级"),
        bad=("星级", "六星级", "“六星级”不是星级（一星级至五星级，或 1～5）"),
    ),
    "investment_people": Sample(
        row={"姓名": "李大使", "身份": "招商大使", "聘任日期": "2025-01-15"},
        record="李大使 招商大使",
        change=("聘任日期", "2025-02-01", "2025-01-15", "2025-02-01"),
        bad=("聘任日期", "2025年13月1日", "日期不存在（2025年13月1日）"),
    ),
    "investment_events": Sample(
        row={"活动名称": "深圳对接会", "日期": "2025-05-10", "城市": "深圳", "活动形式": "招商对接"},
        record="深圳对接会 2025-05-10",
        change=("城市", "深圳南山", "深圳", "深圳南山"),
        bad=("招商小分队", "第九招商小分队", "找不到招商小分队“第九招商小分队”"),
    ),
    "investment_projects": Sample(
        row={"项目名称": "原料药项目", "阶段": "签约", "签约日期": "2025-03-01", "签约金额（万元）": 1000},
        record="原料药项目",
        change=("签约金额（万元）", 1200, "1000", "1200"),
        bad=("阶段", "立项", "“立项”不是可选值（线索、洽谈、签约、开工、投产、终止）"),
    ),
    "talents": Sample(
        row={
            "姓名": "钱人才",
            "公民身份号码": TALENT_ID,
            "人才类别": "青年英才",
            "入库日期": "2025-03-01",
            "工作单位": "甲企业",
        },
        record="钱人才",
        change=("职称", "高级工程师", "", "高级工程师"),
        bad=("入库日期", "今年", "“今年”不是可识别的日期（如 2023-07-01、2023年7月1日）"),
    ),
    "platforms": Sample(
        row={"平台名称": "甲企业省级研发中心", "平台类型": "研发平台", "级别": "省级", "依托单位": "甲企业"},
        record="甲企业省级研发中心",
        change=("认定日期", "2019.07", "", "2019.07"),
        bad=("级别", "区级", "“区级”不是可选值（国家级、省级、市级）"),
    ),
    "innovations": Sample(
        row={"名称": "一种中药提取工艺", "类型": "专利", "企业名称": "甲企业", "日期": "2025-06-01"},
        record="一种中药提取工艺 专利",
        change=("级别", "省级", "", "省级"),
        bad=("企业名称", "丙企业", "找不到企业“丙企业”（请先导入企业名录）"),
    ),
}


def prepare(name, zone) -> Sample:
    """The ledger's sample, with what it refers to made in the zone."""
    sample = SAMPLES[name]
    if sample.setup:
        sample.setup(zone)
    if name == "enterprise_years":
        sample.row["统一社会信用代码"] = zone.enterprise_a.credit_code
    return sample


def file_rows(ledger, row: dict) -> list[list]:
    """[header row, the row] over all the ledger's columns."""
    headers = [c.header for c in ledger.columns]
    return [headers, [row.get(h) for h in headers]]
