"""企业名录 (enterprises) and 企业年度数据 (enterprise_years) ledgers — LEDGERS.md."""

import datetime
from decimal import Decimal

import pytest

from dangjian.core.testing.codes import make_credit_code
from dangjian.core.testing.ledgers import (
    assert_round_trip,
    export_rows,
    import_rows,
    record_changes,
)
from dangjian.core.validators import CREDIT_CHARS
from dangjian.enterprises import services
from dangjian.enterprises.models import Enterprise, EnterpriseYear, IndustryCluster
from dangjian.organizations.models import OrgKind
from dangjian.testing.factories import make_enterprise, make_org

HEADER = [
    "企业名称",
    "统一社会信用代码",
    "所属产业",
    "入驻日期",
    "高新技术企业",
    "科技型中小企业",
    "规模以上企业",
    "链主企业",
    "孵化企业",
    "从业人数",
    "联系人",
    "联系电话",
]
YEAR_HEADER = ["统一社会信用代码", "年度", "营业收入（万元）", "利税（万元）", "新增就业（人）"]
CODE_A, CODE_B, CODE_C = make_credit_code(301), make_credit_code(302), make_credit_code(303)
DEFAULT_CLUSTERS = ["新材料", "生物医药", "新能源", "绿色食品", "电子信息", "现代服务业"]


def row(**values):
    defaults = {"企业名称": "商洛甲科技有限公司", "统一社会信用代码": CODE_A, "所属产业": "新材料"}
    defaults.update(values)
    return [defaults.get(h, "") for h in HEADER]


def import_one(fmt="xlsx", **values):
    return import_rows("enterprises", [HEADER, row(**values)], fmt)


def year_row(code=CODE_A, year="2023", revenue="", profit_tax="", new_jobs=""):
    return [code, year, revenue, profit_tax, new_jobs]


def only_error(report):
    assert not report.ok
    assert len(report.errors) == 1, report.errors
    return report.errors[0].brief


def ok(report):
    assert report.ok, report.errors
    return report


# -- enterprises ------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv-bom", "csv-utf8", "csv-gb18030"])
def test_a_messy_enterprise_list_imports_every_column(fmt):
    rows = [
        ["商洛高新区企业名录"],
        ["（截至2024年6月）"],
        [],
        [
            "单位名称*",
            "信用代码*",
            "产业集群（必填）",
            "入驻日期",
            "是否高新技术企业",
            "是否科技型中小企业",
            "规上企业",
            "链主企业",
            "是否孵化企业",
            "职工人数",
            "联系人",
            "联系电话",
            "备注",
        ],
        [
            "商洛甲科技有限公司",
            CODE_A.lower(),
            " 新材料 ",
            "2015年3月",
            "是",
            "Y",
            "√",
            "1",
            "TRUE",
            "1,200",
            "王经理",
            "0914-2345678",
            "重点企业",
        ],
        [
            "商洛乙生物有限公司",
            CODE_B,
            "生物医药",
            "2018/6/1",
            "否",
            "N",
            "×",
            "0",
            "FALSE",
            "１２０",
            "李经理",
            "138 0013 8000",
            "",
        ],
        ["商洛丙能源有限公司", CODE_C, "新能源", "", "", "", "", "", "", "", "", "", ""],
    ]
    report = import_rows("enterprises", rows, fmt)
    assert ok(report).created == 3
    assert (report.header_row, report.unknown_columns) == (4, ["备注"])
    a = Enterprise.objects.get(credit_code=CODE_A)
    assert (a.name, a.cluster.name) == ("商洛甲科技有限公司", "新材料")
    assert (a.settled_on, a.settled_month_only) == (datetime.date(2015, 3, 1), True)
    assert (a.is_high_tech, a.is_tech_sme, a.is_above_scale, a.is_chain_leader, a.is_incubated) == (True,) * 5
    assert (a.employees, a.contact_name, a.contact_phone) == (1200, "王经理", "0914-2345678")
    b = Enterprise.objects.get(credit_code=CODE_B)
    assert (b.settled_on, b.settled_month_only) == (datetime.date(2018, 6, 1), False)
    assert (b.is_high_tech, b.is_tech_sme, b.is_above_scale, b.is_chain_leader, b.is_incubated) == (
        False,
    ) * 5
    assert (b.employees, b.contact_phone) == (120, "13800138000")
    c = Enterprise.objects.get(credit_code=CODE_C)
    assert (c.settled_on, c.employees, c.is_high_tech, c.contact_phone) == (None, None, False, "")


# -- credit code (GB 32100) -------------------------------------------------------------------
@pytest.mark.django_db
def test_a_credit_code_with_a_wrong_check_character_is_a_row_error():
    index = CREDIT_CHARS.index(CODE_A[17])
    bad = CODE_A[:17] + CREDIT_CHARS[(index + 1) % 31]
    assert (
        only_error(import_one(统一社会信用代码=bad))
        == "第 2 行 统一社会信用代码：校验码错误（不符合 GB 32100）"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "length"), [(CODE_A[:17], 17), (CODE_A + "1", 19)])
def test_a_credit_code_that_is_not_18_characters_is_a_row_error(code, length):
    assert (
        only_error(import_one(统一社会信用代码=code))
        == f"第 2 行 统一社会信用代码：应为 18 位，实际为 {length} 位"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_a_credit_code_with_a_letter_gb_32100_does_not_use_is_a_row_error(letter):
    code = CODE_A[:10] + letter + CODE_A[11:]
    error = only_error(import_one(统一社会信用代码=code))
    assert error == f"第 2 行 统一社会信用代码：含有不允许的字符 {letter}（不使用 I、O、S、V、Z）"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "written",
    [
        CODE_A.lower(),
        f" {CODE_A[:9]} {CODE_A[9:]} ",
        CODE_A.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    ],
)
def test_a_valid_credit_code_is_accepted_however_written(written):
    ok(import_one(统一社会信用代码=written))
    assert Enterprise.objects.get().credit_code == CODE_A


@pytest.mark.django_db
def test_an_empty_credit_code_is_a_row_error():
    assert only_error(import_one(统一社会信用代码="")) == "第 2 行 统一社会信用代码：必填，不能为空"


# -- clusters ---------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("cluster", DEFAULT_CLUSTERS)
def test_every_cluster_of_a_new_installation_is_accepted(cluster):
    ok(import_one(所属产业=cluster))
    assert Enterprise.objects.get().cluster.name == cluster


@pytest.mark.django_db
def test_a_cluster_the_zone_has_not_configured_is_a_row_error():
    error = only_error(import_one(所属产业="人工智能"))
    assert error == f"第 2 行 所属产业：“人工智能”不是本区配置的产业（{'、'.join(DEFAULT_CLUSTERS)}）"


@pytest.mark.django_db
def test_a_cluster_added_by_the_zone_admin_is_accepted():
    IndustryCluster.objects.create(name="人工智能", sort_order=7)
    ok(import_one(所属产业="人工智能"))
    assert Enterprise.objects.get().cluster.name == "人工智能"


@pytest.mark.django_db
def test_a_cluster_the_zone_admin_switched_off_is_a_row_error():
    IndustryCluster.objects.filter(name="绿色食品").update(is_active=False)
    error = only_error(import_one(所属产业="绿色食品"))
    assert error.startswith("第 2 行 所属产业：“绿色食品”不是本区配置的产业")
    assert "绿色食品" not in error.split("（", 1)[1]


@pytest.mark.django_db
def test_an_empty_cluster_is_a_row_error():
    assert only_error(import_one(所属产业="")) == "第 2 行 所属产业：必填，不能为空"


# -- other columns ----------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("written", "expected"), [("1,200", 1200), ("１２００", 1200), (" 1 200 ", 1200), (1200, 1200), ("0", 0)]
)
def test_employees_is_a_whole_number_however_written(written, expected):
    ok(import_one(从业人数=written))
    assert Enterprise.objects.get().employees == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("written", "reason"), [("12.5", "“12.5”应为整数"), ("-1", "不能小于 0"), ("很多", "“很多”不是数字")]
)
def test_employees_that_is_not_a_whole_number_is_a_row_error(written, reason):
    assert only_error(import_one(从业人数=written)) == f"第 2 行 从业人数：{reason}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "written", ["13800138000", "0914-2345678", "09142345678", "0914-2345678-801", "400-123-4567"]
)
def test_contact_phone_accepts_a_mobile_or_a_landline(written):
    ok(import_one(联系电话=written))


@pytest.mark.django_db
@pytest.mark.parametrize("written", ["12345", "电话", "1380013800"])
def test_contact_phone_that_is_neither_mobile_nor_landline_is_a_row_error(written):
    assert (
        only_error(import_one(联系电话=written))
        == "第 2 行 联系电话：应为手机号码或固定电话（如 0914-2345678）"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("flag", ["高新技术企业", "科技型中小企业", "规模以上企业", "链主企业", "孵化企业"])
def test_a_flag_that_is_not_yes_or_no_is_a_row_error(flag):
    assert only_error(import_one(**{flag: "在申报"})) == f"第 2 行 {flag}：“在申报”应为 是/否"


@pytest.mark.django_db
def test_a_month_only_settling_date_is_the_first_of_the_month():
    ok(import_one(入驻日期=2019.07))
    enterprise = Enterprise.objects.get()
    assert (enterprise.settled_on, enterprise.settled_month_only) == (datetime.date(2019, 7, 1), True)


# -- updating by credit code ------------------------------------------------------------------
@pytest.mark.django_db
def test_a_row_with_a_known_credit_code_updates_that_enterprise():
    ok(import_one(高新技术企业="否"))
    before = record_changes()
    report = import_one(企业名称="商洛甲科技股份有限公司", 高新技术企业="是")
    assert (ok(report).created, report.updated) == (0, 1)
    enterprise = Enterprise.objects.get()
    assert (enterprise.name, enterprise.is_high_tech) == ("商洛甲科技股份有限公司", True)
    assert record_changes() == before + 1


def test_a_renamed_enterprise_is_linked_to_organizations_whose_unit_names_it(zone):
    branch = make_org("丙企业党支部", OrgKind.BRANCH, zone.root, unit_name="商洛丙科技有限公司")
    ok(
        import_one(
            企业名称="商洛丙科技有限公司", 统一社会信用代码=zone.enterprise_b.credit_code, 所属产业="新能源"
        )
    )
    branch.refresh_from_db()
    assert branch.unit_enterprise == zone.enterprise_b


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_reimporting_the_same_enterprise_list_changes_nothing(fmt):
    rows = [
        HEADER,
        row(入驻日期="2015.03", 高新技术企业="是", 从业人数="1,200", 联系电话="0914-2345678"),
        row(
            企业名称="商洛乙生物有限公司",
            统一社会信用代码=CODE_B,
            所属产业="生物医药",
            入驻日期="2018-06-01",
            联系电话="138 0013 8000",
        ),
    ]
    assert ok(import_rows("enterprises", rows, fmt)).created == 2
    before = record_changes()
    report = import_rows("enterprises", rows, fmt)
    assert (ok(report).created, report.updated, report.unchanged) == (0, 0, 2)
    assert record_changes() == before


@pytest.mark.django_db
def test_dry_run_of_an_enterprise_list_writes_nothing():
    report = import_rows(
        "enterprises", [HEADER, row(), row(企业名称="乙", 统一社会信用代码=CODE_B)], dry_run=True
    )
    assert ok(report).created == 2
    assert Enterprise.objects.count() == 0


def _enterprises():
    make_enterprise(
        "商洛甲科技有限公司",
        cluster="新材料",
        credit_code=CODE_A,
        settled_on=datetime.date(2015, 3, 1),
        settled_month_only=True,
        is_high_tech=True,
        is_chain_leader=True,
        employees=1200,
        contact_name="王经理",
        contact_phone="0914-2345678",
    )
    make_enterprise(
        "+商洛乙生物有限公司",
        cluster="生物医药",
        credit_code=CODE_B,
        settled_on=datetime.date(2018, 6, 1),
        is_incubated=True,
        contact_phone="13800138000",
    )
    make_enterprise("商洛丙能源有限公司", cluster="新能源", credit_code=CODE_C)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_enterprises_export_and_import_back_unchanged(fmt):
    _enterprises()
    assert assert_round_trip("enterprises", fmt).unchanged == 3


@pytest.mark.django_db
def test_enterprises_export_writes_flags_as_yes_no_and_month_only_dates():
    _enterprises()
    rows = export_rows("enterprises", "csv")
    assert rows[0] == HEADER
    a = dict(zip(HEADER, next(r for r in rows if r[1] == CODE_A), strict=True))
    assert (a["入驻日期"], a["高新技术企业"], a["科技型中小企业"], a["从业人数"]) == (
        "2015.03",
        "是",
        "否",
        "1200",
    )
    b = next(r for r in rows if r[1] == CODE_B)
    assert b[0] == "'+商洛乙生物有限公司"


# -- enterprise years -------------------------------------------------------------------------
@pytest.fixture
def enterprises(db):
    _enterprises()


@pytest.mark.parametrize("fmt", ["xlsx", "csv-bom", "csv-utf8", "csv-gb18030"])
def test_yearly_figures_import_with_messy_numbers_and_headers(enterprises, fmt):
    rows = [
        ["2023年度企业主要经济指标"],
        ["单位：万元"],
        ["信用代码 *", "年度*", "销售收入(万元)", "利税总额(万元)", "带动就业(人)"],
        [CODE_A, "2023", "56,100.25", "1,234.5", "35"],
        [CODE_A, "2022年", "４８，０００．１２３４５６", "-12.5", "0"],
        [CODE_B.lower(), "2023年度", " 3 200 ", "", ""],
        [],
        [CODE_C, 2023, 1234.5, 0, 12],
    ]
    report = import_rows("enterprise_years", rows, fmt)
    assert ok(report).created == 4
    assert report.header_row == 3
    a = Enterprise.objects.get(credit_code=CODE_A)
    y2023 = EnterpriseYear.objects.get(enterprise=a, year=2023)
    assert (y2023.revenue, y2023.profit_tax, y2023.new_jobs) == (Decimal("56100.25"), Decimal("1234.5"), 35)
    y2022 = EnterpriseYear.objects.get(enterprise=a, year=2022)
    assert (y2022.revenue, y2022.profit_tax, y2022.new_jobs) == (Decimal("48000.123456"), Decimal("-12.5"), 0)
    b = EnterpriseYear.objects.get(enterprise__credit_code=CODE_B)
    assert (b.year, b.revenue, b.profit_tax, b.new_jobs) == (2023, Decimal(3200), None, None)
    c = EnterpriseYear.objects.get(enterprise__credit_code=CODE_C)
    assert c.revenue == Decimal("1234.5")


def test_yearly_figures_of_an_enterprise_not_in_the_list_are_a_row_error(enterprises):
    unknown = make_credit_code(999)
    report = import_rows("enterprise_years", [YEAR_HEADER, year_row(), year_row(code=unknown)])
    assert only_error(report) == f"第 3 行 统一社会信用代码：找不到企业“{unknown}”（请先导入企业名录）"
    assert EnterpriseYear.objects.count() == 0


def test_yearly_figures_with_an_invalid_credit_code_are_a_row_error(enterprises):
    report = import_rows("enterprise_years", [YEAR_HEADER, year_row(code=CODE_A[:17] + "?")])
    assert only_error(report).startswith("第 2 行 统一社会信用代码：含有不允许的字符 ?")


@pytest.mark.parametrize(
    ("year", "reason"),
    [
        ("23", "“23”应为四位年份"),
        ("2023.5", "“2023.5”应为四位年份"),
        ("1948", "年份 1948 不合理"),
        ("", "必填，不能为空"),
    ],
)
def test_a_year_that_is_not_a_reasonable_four_digit_year_is_a_row_error(enterprises, year, reason):
    report = import_rows("enterprise_years", [YEAR_HEADER, year_row(year=year)])
    assert only_error(report) == f"第 2 行 年度：{reason}"


def test_negative_revenue_is_a_row_error_but_a_loss_is_not(enterprises):
    report = import_rows("enterprise_years", [YEAR_HEADER, year_row(revenue="-0.01", profit_tax="-5")])
    assert only_error(report) == "第 2 行 营业收入（万元）：不能小于 0"


def test_money_with_more_than_six_decimal_places_is_a_row_error(enterprises):
    report = import_rows("enterprise_years", [YEAR_HEADER, year_row(revenue="1.1234567")])
    assert only_error(report) == "第 2 行 营业收入（万元）：小数位数超过 6 位"


def test_money_that_is_not_a_number_is_a_row_error_naming_the_column_as_written(enterprises):
    report = import_rows(
        "enterprise_years", [["信用代码", "年度", "利税总额(万元)"], [CODE_A, "2023", "约五百"]]
    )
    assert only_error(report) == "第 2 行 利税总额（万元）：“约五百”不是数字"


def test_new_jobs_must_be_a_whole_number(enterprises):
    report = import_rows("enterprise_years", [YEAR_HEADER, year_row(new_jobs="3.5")])
    assert only_error(report) == "第 2 行 新增就业（人）：“3.5”应为整数"


def test_the_same_enterprise_and_year_twice_with_different_figures_is_a_row_error(enterprises):
    report = import_rows(
        "enterprise_years", [YEAR_HEADER, year_row(revenue="1"), year_row(year="2023年", revenue="2")]
    )
    assert only_error(report) == "第 3 行 统一社会信用代码：与第 2 行重复，但内容不同"


def test_a_row_for_a_known_enterprise_and_year_updates_the_figures(enterprises):
    ok(import_rows("enterprise_years", [YEAR_HEADER, year_row(revenue="100", profit_tax="10")]))
    report = import_rows("enterprise_years", [YEAR_HEADER, year_row(revenue="120.5", profit_tax="10")])
    assert (ok(report).created, report.updated) == (0, 1)
    figures = EnterpriseYear.objects.get()
    assert (figures.revenue, figures.profit_tax) == (Decimal("120.5"), Decimal(10))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_reimporting_the_same_yearly_figures_changes_nothing(enterprises, fmt):
    rows = [
        YEAR_HEADER,
        year_row(revenue="56,100.25", profit_tax="1,234.500", new_jobs="35"),
        year_row(year="2022", revenue="48000.123456", profit_tax="-12.5", new_jobs="0"),
        year_row(code=CODE_B, revenue="3200"),
    ]
    assert ok(import_rows("enterprise_years", rows, fmt)).created == 3
    before = record_changes()
    report = import_rows("enterprise_years", rows, fmt)
    assert (ok(report).created, report.updated, report.unchanged) == (0, 0, 3)
    assert record_changes() == before


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_enterprise_years_export_and_import_back_unchanged(enterprises, fmt):
    a = Enterprise.objects.get(credit_code=CODE_A)
    b = Enterprise.objects.get(credit_code=CODE_B)
    services.enterprise_year_save(
        actor=None,
        enterprise=a,
        year=2023,
        revenue=Decimal("56100.25"),
        profit_tax=Decimal("1234.5"),
        new_jobs=35,
    )
    services.enterprise_year_save(
        actor=None,
        enterprise=a,
        year=2022,
        revenue=Decimal("48000.123456"),
        profit_tax=Decimal("-12.5"),
        new_jobs=0,
    )
    services.enterprise_year_save(actor=None, enterprise=b, year=2023, revenue=Decimal(3200))
    assert assert_round_trip("enterprise_years", fmt).unchanged == 3


def test_enterprise_years_export_writes_the_credit_code_and_exact_amounts(enterprises):
    a = Enterprise.objects.get(credit_code=CODE_A)
    services.enterprise_year_save(
        actor=None,
        enterprise=a,
        year=2023,
        revenue=Decimal("56100.25"),
        profit_tax=Decimal("-12.5"),
        new_jobs=35,
    )
    rows = export_rows("enterprise_years", "csv")
    assert rows == [YEAR_HEADER, [CODE_A, "2023", "56100.25", "-12.5", "35"]]
