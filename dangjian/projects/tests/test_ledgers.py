"""干部名册 (cadres), 重点项目 (projects) and 问题清单 (problems) ledgers — LEDGERS.md: real .xlsx
and .csv files, synonyms, natural keys, every rule, all or nothing, re-import and round trip."""

import datetime
from decimal import Decimal

import pytest

from dangjian.cadres.models import Assignment, Cadre
from dangjian.core.testing.ledgers import (
    assert_round_trip,
    error_briefs,
    export_rows,
    import_rows,
    record_changes,
)
from dangjian.organizations.models import OrgKind
from dangjian.projects import services
from dangjian.projects.models import (
    Problem,
    ProblemEvent,
    ProblemSource,
    ProblemStatus,
    Project,
    ProjectCategory,
    ProjectStatus,
)
from dangjian.testing.factories import make_org

from .factories import ONE_DAY, make_cadre, make_problem, today

pytestmark = pytest.mark.django_db

D = datetime.date
FORMATS = ["xlsx", "csv-bom", "csv-gb18030"]

CADRE_HEADER = ["姓名", "出生日期", "职务", "手机号码", "所在党组织"]
PROJECT_HEADER = [
    "项目名称",
    "项目类别",
    "业主单位",
    "总投资（万元）",
    "年度计划投资（万元）",
    "建设状态",
    "开工日期",
    "竣工日期",
    "包抓干部",
    "临时党支部",
]
PROBLEM_HEADER = [
    "问题编号",
    "问题来源",
    "关联项目",
    "关联企业",
    "问题类别",
    "问题描述",
    "提出日期",
    "责任人",
    "办理时限",
    "办理状态",
    "办结日期",
    "办理结果",
]


def row(header, defaults, **values):
    merged = {**defaults, **values}
    return [merged.get(h, "") for h in header]


def cadre_row(**values):
    return row(CADRE_HEADER, {"姓名": "王包抓", "职务": "科员", "手机号码": "13900000001"}, **values)


def project_row(**values):
    return row(PROJECT_HEADER, {"项目名称": "秦岭数据中心", "总投资（万元）": "12000"}, **values)


def problem_row(**values):
    defaults = {
        "问题来源": "项目包抓",
        "问题类别": "审批",
        "问题描述": "环评批复未下达",
        "提出日期": "2025-03-01",
        "办理状态": "待办",
    }
    return row(PROBLEM_HEADER, defaults, **values)


def ok(report):
    assert report.ok, report.errors
    return report


def errors(report):
    assert not report.ok
    return error_briefs(report)


# -- 干部名册 ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_cadre_list_with_a_title_row_and_synonyms_imports_each_cadre_as_a_user(zone, fmt):
    rows = [
        ["2025年包抓干部名册"],
        [],
        ["姓名*", "出生日期", "职务", "联系电话（必填）", "所在党组织", "备注"],
        ["王包抓", "1990年7月", "科员", "139 0000 0001", "甲企业党委", "骨干"],
        ["李包抓", "1992/3/15", "副主任科员", "13900000002", "", ""],
    ]
    report = ok(import_rows("cadres", rows, fmt))
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert report.unknown_columns == ["备注"]
    wang = Cadre.objects.get(name="王包抓")
    assert (wang.birth_date, wang.birth_month_only, wang.title) == (D(1990, 7, 1), True, "科员")
    assert (wang.phone, wang.organization) == ("13900000001", zone.committee_a)
    assert (wang.user.username, wang.user.full_name) == (
        "gb0001",
        "王包抓",
    )  # the login name is not the phone
    assert Cadre.objects.get(name="李包抓").birth_date == D(1992, 3, 15)


def test_the_cadre_key_is_name_with_mobile_number():
    ok(import_rows("cadres", [CADRE_HEADER, cadre_row()]))
    report = ok(
        import_rows(
            "cadres",
            [
                CADRE_HEADER,
                cadre_row(职务="副主任科员"),  # same name and number: updated
                cadre_row(手机号码="13900000009"),  # same name, another number: another cadre
                cadre_row(姓名="王另一个"),  # same number, another name: another cadre
            ],
        )
    )
    assert (report.created, report.updated) == (2, 1)
    cadres = sorted((c.name, c.phone, c.title, c.user.username) for c in Cadre.objects.all())
    assert cadres == [
        ("王包抓", "13900000001", "副主任科员", "gb0001"),
        ("王包抓", "13900000009", "科员", "gb0002"),
        ("王另一个", "13900000001", "科员", "gb0003"),
    ]


def test_a_cadre_with_a_bad_number_or_an_unknown_organization_is_a_row_error(zone):
    report = import_rows(
        "cadres",
        [
            CADRE_HEADER,
            cadre_row(),
            cadre_row(姓名="李", 手机号码="12345"),
            cadre_row(姓名="赵", 手机号码="13900000003", 所在党组织="不存在的支部"),
            cadre_row(姓名="钱", 手机号码=""),
        ],
    )
    assert errors(report) == [
        "第 3 行 手机号码：应为手机号码或固定电话（如 0914-2345678）",
        "第 4 行 所在党组织：找不到党组织“不存在的支部”",
        "第 5 行 手机号码：必填，不能为空",
    ]
    assert not Cadre.objects.exists()


def test_a_cadre_list_without_the_number_column_is_refused_before_any_row():
    report = import_rows("cadres", [["姓名", "职务"], ["王包抓", "科员"]])
    assert errors(report) == ["文件：缺少必填列 手机号码"]


def test_reimporting_the_cadre_list_changes_nothing(zone):
    rows = [
        CADRE_HEADER,
        cadre_row(出生日期="1990.07", 所在党组织="甲企业党委"),
        cadre_row(姓名="李", 手机号码="13900000002"),
    ]
    ok(import_rows("cadres", rows))
    before = record_changes()
    report = ok(import_rows("cadres", rows))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert record_changes() == before


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_cadre_list_round_trips(zone, fmt):
    ok(import_rows("cadres", [CADRE_HEADER, cadre_row(出生日期="1990年7月", 所在党组织="甲企业党委")]))
    make_cadre("赵", phone="0914-2345678", birth_date=D(1988, 2, 29))
    exported = export_rows("cadres", fmt=fmt)
    assert exported[0] == CADRE_HEADER
    assert ["王包抓", "1990.07", "科员", "13900000001", "甲企业党委"] in exported
    assert_round_trip("cadres", fmt)


# -- 重点项目 ---------------------------------------------------------------------------------------------
@pytest.fixture
def cadres():
    return {name: make_cadre(name) for name in ("王包抓", "李包抓", "赵包抓")}


@pytest.fixture
def temp_branch(zone):
    return make_org("数据中心项目临时党支部", OrgKind.TEMPORARY_BRANCH, zone.root)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_project_list_with_synonyms_imports_projects_and_their_cadres(zone, cadres, temp_branch, fmt):
    rows = [
        ["2025年市级重点项目"],
        [
            "项目名称*",
            "项目类别",
            "建设单位",
            "计划总投资（万元）",
            "年度计划投资（万元）",
            "项目状态",
            "开工日期",
            "竣工日期",
            "包抓领导",
            "临时党支部",
        ],
        [
            "秦岭数据中心",
            "产业项目",
            "甲企业",
            "12,000.5",
            "３０００",
            "在建",
            "2024.03",
            "2026年6月30日",
            "李包抓、王包抓",
            "数据中心项目临时党支部",
        ],
        ["两河口运动公园", "社会事业", "区城投公司", "8000", "", "前期", "", "", "赵包抓", ""],
    ]
    report = ok(import_rows("projects", rows, fmt))
    assert report.created == 2
    project = Project.objects.get(name="秦岭数据中心")
    assert (project.category, project.status) == (
        ProjectCategory.INDUSTRIAL,
        ProjectStatus.UNDER_CONSTRUCTION,
    )
    assert (project.total_investment, project.annual_investment) == (Decimal("12000.5"), Decimal("3000"))
    assert (project.started_on, project.started_month_only) == (D(2024, 3, 1), True)
    assert (project.completed_on, project.completed_month_only) == (D(2026, 6, 30), False)
    assert (project.owner_enterprise, project.temp_branch) == (zone.enterprise_a, temp_branch)
    assert project.org_path == temp_branch.path
    assigned = list(
        Assignment.objects.filter(project=project)
        .order_by("-is_lead")
        .values_list("cadre__name", "is_lead", "start_on")
    )
    assert assigned == [("李包抓", True, None), ("王包抓", False, None)]
    park = Project.objects.get(name="两河口运动公园")
    assert (park.owner_name, park.owner_enterprise, park.org_path) == ("区城投公司", None, "")


def test_the_project_key_is_its_name(cadres):
    ok(import_rows("projects", [PROJECT_HEADER, project_row(包抓干部="王包抓")]))
    report = ok(import_rows("projects", [PROJECT_HEADER, project_row(**{"总投资（万元）": "15000"})]))
    assert (report.created, report.updated) == (0, 1)
    assert Project.objects.get().total_investment == Decimal("15000")


def test_a_cadre_name_that_matches_no_cadre_is_a_row_error(cadres):
    report = import_rows("projects", [PROJECT_HEADER, project_row(包抓干部="王包抓、不存在、也不存在")])
    assert errors(report) == [
        "第 2 行 包抓干部：找不到干部“不存在”（请先导入干部名册）；找不到干部“也不存在”（请先导入干部名册）"
    ]
    assert not Project.objects.exists()
    assert not Assignment.objects.exists()


def test_a_cadre_name_shared_by_two_cadres_is_a_row_error():
    make_cadre("王包抓", phone="13900000001")
    make_cadre("王包抓", phone="13900000002")
    report = import_rows("projects", [PROJECT_HEADER, project_row(包抓干部="王包抓")])
    assert errors(report) == ["第 2 行 包抓干部：名为“王包抓”的干部有多个，无法确定是哪一个"]


def test_the_temporary_branch_must_be_a_temporary_branch(zone, temp_branch):
    report = import_rows("projects", [PROJECT_HEADER, project_row(临时党支部="甲一党支部")])
    assert errors(report) == ["第 2 行 临时党支部：找不到临时党支部“甲一党支部”"]
    assert not Project.objects.exists()


def test_a_month_only_start_date_is_kept_as_a_month_and_exported_so(cadres):
    ok(import_rows("projects", [PROJECT_HEADER, project_row(开工日期="2019年7月")]))
    project = Project.objects.get()
    assert (project.started_on, project.started_month_only) == (D(2019, 7, 1), True)
    assert export_rows("projects")[1][PROJECT_HEADER.index("开工日期")] == "2019.07"


def test_a_completion_before_the_start_is_a_row_error():
    report = import_rows(
        "projects", [PROJECT_HEADER, project_row(开工日期="2025-03-01", 竣工日期="2025-02-28")]
    )
    assert errors(report) == ["第 2 行 竣工日期：竣工日期不能早于开工日期"]


def test_a_bad_project_row_among_good_ones_writes_nothing(cadres):
    rows = [
        PROJECT_HEADER,
        project_row(项目名称="项目一", 包抓干部="王包抓"),
        project_row(项目名称="项目二", **{"总投资（万元）": "很多"}),
        project_row(项目名称="项目三", 建设状态="停工"),
        project_row(项目名称="项目四", 包抓干部="李包抓"),
    ]
    report = import_rows("projects", rows)
    assert [e.split("：")[0] for e in errors(report)] == ["第 3 行 总投资（万元）", "第 4 行 建设状态"]
    assert not Project.objects.exists()
    assert not Assignment.objects.exists()


def test_reimporting_the_project_list_changes_nothing(zone, cadres, temp_branch):
    rows = [
        PROJECT_HEADER,
        project_row(
            业主单位="甲企业", 开工日期="2024.03", 包抓干部="李包抓、王包抓", 临时党支部=temp_branch.name
        ),
        project_row(项目名称="两河口运动公园", 业主单位="区城投公司", 包抓干部="赵包抓"),
    ]
    ok(import_rows("projects", rows))
    before = (record_changes(), Assignment.objects.count())
    report = ok(import_rows("projects", rows))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert (record_changes(), Assignment.objects.count()) == before


def test_a_changed_cadre_list_ends_the_dropped_cadres_yesterday_and_keeps_their_history(cadres):
    ok(import_rows("projects", [PROJECT_HEADER, project_row(包抓干部="王包抓、李包抓")]))
    report = ok(import_rows("projects", [PROJECT_HEADER, project_row(包抓干部="赵包抓、王包抓")]))
    assert report.updated == 1
    spells = {
        a.cadre.name: (a.is_lead, a.start_on, a.end_on)
        for a in Assignment.objects.filter(project__name="秦岭数据中心")
    }
    assert spells == {
        "王包抓": (False, None, None),
        "李包抓": (False, None, today() - ONE_DAY),
        "赵包抓": (True, None, None),
    }


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_project_list_round_trips(zone, cadres, temp_branch, fmt):
    ok(
        import_rows(
            "projects",
            [
                PROJECT_HEADER,
                project_row(
                    项目类别="产业项目",
                    业主单位="甲企业",
                    **{"年度计划投资（万元）": "3000"},
                    建设状态="在建",
                    开工日期="2024.03",
                    竣工日期="2026-06-30",
                    包抓干部="李包抓、王包抓",
                    临时党支部=temp_branch.name,
                ),
                project_row(项目名称="=SUM(A1)", **{"总投资（万元）": "0.000001"}),
            ],
        )
    )
    exported = export_rows("projects", fmt=fmt)
    assert exported[0] == PROJECT_HEADER
    assert_round_trip("projects", fmt)


# -- 问题清单 ---------------------------------------------------------------------------------------------
@pytest.fixture
def project(cadres):
    ok(import_rows("projects", [PROJECT_HEADER, project_row(包抓干部="王包抓、李包抓")]))
    return Project.objects.get()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_problem_list_with_synonyms_imports_each_problem_as_it_stands(zone, project, fmt):
    rows = [
        ["2025年堵点难点问题清单"],
        [
            "编号",
            "来源",
            "项目名称",
            "企业名称",
            "类别",
            "问题描述*",
            "交办日期",
            "责任人",
            "完成时限",
            "状态",
            "办结日期",
            "办理结果",
        ],
        [
            "WT-001",
            "项目包抓",
            "秦岭数据中心",
            "",
            "审批",
            "环评批复未下达",
            "2025年3月1日",
            "李包抓",
            "2025.03.31",
            "已办结",
            "2025/3/20",
            "协调环保局办结",
        ],
        ["", "上门问诊", "", "甲企业", "用工", "缺少技术工人", "20250402", "", "", "办理中", "", ""],
        [
            "WT-003",
            "政银企对接",
            "",
            "乙企业",
            "融资",
            "流动资金贷款",
            "2025-04-10",
            "赵包抓",
            "",
            "无法解决",
            "2025-05-01",
            "不符合授信条件",
        ],
    ]
    report = ok(import_rows("problems", rows, fmt))
    assert report.created == 3
    first = Problem.objects.get(number="WT-001")
    assert (first.source, first.project, first.category, first.raised_on) == (
        ProblemSource.PROJECT,
        project,
        "approval",
        D(2025, 3, 1),
    )
    assert (first.owner.name, first.deadline, first.status, first.closed_on, first.result) == (
        "李包抓",
        D(2025, 3, 31),
        ProblemStatus.SOLVED,
        D(2025, 3, 20),
        "协调环保局办结",
    )
    second = Problem.objects.get(description="缺少技术工人")
    assert (second.number, second.enterprise, second.status) == (
        None,
        zone.enterprise_a,
        ProblemStatus.IN_PROGRESS,
    )
    assert second.org_path == zone.committee_a.path
    third = Problem.objects.get(number="WT-003")
    assert (third.status, third.closed_on) == (ProblemStatus.UNSOLVABLE, D(2025, 5, 1))
    assert third.unsolvable_reason == "不符合授信条件"
    assert list(first.events.values_list("kind", flat=True)) == [ProblemEvent.Kind.IMPORTED]


def test_a_problem_without_an_owner_goes_to_the_projects_lead(project):
    ok(import_rows("problems", [PROBLEM_HEADER, problem_row(关联项目="秦岭数据中心")]))
    assert Problem.objects.get().owner.name == "王包抓"


def test_the_problem_number_is_the_key_when_present(project):
    ok(import_rows("problems", [PROBLEM_HEADER, problem_row(问题编号="WT-001")]))
    report = ok(
        import_rows(
            "problems",
            [
                PROBLEM_HEADER,
                problem_row(
                    问题编号="WT-001", 问题描述="环评批复已下达", 办理状态="已办结", 办结日期="2025-03-20"
                ),
            ],
        )
    )
    assert (report.created, report.updated) == (0, 1)
    problem = Problem.objects.get()
    assert (problem.description, problem.status, problem.closed_on) == (
        "环评批复已下达",
        "solved",
        D(2025, 3, 20),
    )


def test_without_a_number_the_key_is_the_description_date_and_links(zone, project):
    ok(import_rows("problems", [PROBLEM_HEADER, problem_row()]))
    report = ok(
        import_rows(
            "problems",
            [
                PROBLEM_HEADER,
                problem_row(办理状态="办理中"),  # same description, date, no links: updated
                problem_row(提出日期="2025-03-02"),  # another day: another problem
                problem_row(关联项目="秦岭数据中心"),  # another project: another problem
                problem_row(关联企业="甲企业"),  # another enterprise: another problem
            ],
        )
    )
    assert (report.created, report.updated) == (3, 1)
    assert Problem.objects.count() == 4
    assert Problem.objects.get(project=None, enterprise=None, raised_on=D(2025, 3, 1)).status == "in_progress"


def test_two_rows_with_the_same_number_and_different_contents_are_an_error():
    report = import_rows(
        "problems",
        [PROBLEM_HEADER, problem_row(问题编号="WT-1"), problem_row(问题编号="WT-1", 问题描述="另一个")],
    )
    assert errors(report) == ["第 3 行 问题编号：与第 2 行重复，但内容不同"]


@pytest.mark.parametrize(
    ("values", "error"),
    [
        ({"办理状态": "已办结"}, "第 2 行 办结日期：办理状态为已办结时必须填写办结日期"),
        ({"办理状态": "已办结", "办结日期": "2025-02-28"}, "第 2 行 办结日期：办结日期不能早于提出日期"),
        ({"办理状态": "待办", "办结日期": "2025-03-05"}, "第 2 行 办结日期：未办结的问题不应有办结日期"),
        ({"办理时限": "2025-02-01"}, "第 2 行 办理时限：办理时限不能早于提出日期"),
        ({"责任人": "不存在"}, "第 2 行 责任人：找不到干部“不存在”（请先导入干部名册）"),
        ({"关联项目": "不存在的项目"}, "第 2 行 关联项目：找不到项目“不存在的项目”"),
        ({"关联企业": "不存在的企业"}, "第 2 行 关联企业：找不到企业“不存在的企业”"),
        ({"问题来源": "群众来信"}, None),
        ({"办理状态": "已完成"}, None),
        ({"提出日期": ""}, "第 2 行 提出日期：必填，不能为空"),
    ],
)
def test_every_problem_rule_is_a_row_error(project, values, error):
    report = import_rows("problems", [PROBLEM_HEADER, problem_row(**values)])
    found = errors(report)
    assert len(found) == 1, found
    if error is not None:
        assert found == [error]
    else:
        column = next(iter(values))
        assert found[0].startswith(f"第 2 行 {column}：")
    assert not Problem.objects.exists()


def test_a_solved_on_the_day_raised_is_accepted():
    ok(import_rows("problems", [PROBLEM_HEADER, problem_row(办理状态="已办结", 办结日期="2025-03-01")]))
    assert Problem.objects.get().closed_on == D(2025, 3, 1)


def test_a_bad_problem_row_among_good_ones_writes_nothing(project):
    rows = [
        PROBLEM_HEADER,
        problem_row(问题编号="WT-1"),
        problem_row(问题编号="WT-2", 办理状态="已办结"),
        problem_row(问题编号="WT-3", 关联项目="秦岭数据中心"),
    ]
    report = import_rows("problems", rows)
    assert errors(report) == ["第 3 行 办结日期：办理状态为已办结时必须填写办结日期"]
    assert not Problem.objects.exists()
    assert not ProblemEvent.objects.exists()


def test_reimporting_the_problem_list_changes_nothing(zone, project):
    rows = [
        PROBLEM_HEADER,
        problem_row(问题编号="WT-1", 关联项目="秦岭数据中心", 责任人="李包抓", 办理时限="2025-03-31"),
        problem_row(关联企业="甲企业", 问题类别="用工", 问题描述="缺少技术工人", 办理状态="办理中"),
        problem_row(问题编号="WT-3", 办理状态="已办结", 办结日期="2025-03-20", 办理结果="已办结"),
    ]
    ok(import_rows("problems", rows))
    before = (record_changes(), ProblemEvent.objects.count())
    report = ok(import_rows("problems", rows))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert (record_changes(), ProblemEvent.objects.count()) == before


def test_reimporting_a_problem_whose_owner_was_left_to_the_lead_changes_nothing(project):
    rows = [PROBLEM_HEADER, problem_row(关联项目="秦岭数据中心")]
    ok(import_rows("problems", rows))
    before = (record_changes(), ProblemEvent.objects.count())
    report = ok(import_rows("problems", rows))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    assert (record_changes(), ProblemEvent.objects.count()) == before
    assert Problem.objects.get().owner.name == "王包抓"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_problem_list_round_trips(zone, project, fmt):
    ok(
        import_rows(
            "problems",
            [
                PROBLEM_HEADER,
                problem_row(
                    问题编号="WT-1",
                    关联项目="秦岭数据中心",
                    办理时限="2025-03-31",
                    办理状态="已办结",
                    办结日期="2025-03-20",
                    办理结果="-已协调",
                ),
                problem_row(关联企业="甲企业", 问题类别="用工", 问题描述="缺少技术工人", 办理状态="办理中"),
                problem_row(
                    问题编号="WT-3", 办理状态="无法解决", 办结日期="2025-04-01", 办理结果="不符合条件"
                ),
            ],
        )
    )
    exported = export_rows("problems", fmt=fmt)
    assert exported[0] == PROBLEM_HEADER
    assert len(exported) == 4
    assert_round_trip("problems", fmt)


def test_the_reason_a_problem_could_not_be_solved_is_exported_as_its_result(project):
    problem = make_problem(project=project, raised=D(2025, 3, 1))
    services.problem_unsolvable(actor=None, problem=problem, on=D(2025, 3, 9), reason="规划调整，项目暂缓")
    exported = export_rows("problems")
    line = dict(zip(exported[0], exported[1], strict=True))
    assert (line["办理状态"], line["办结日期"].date(), line["办理结果"]) == (
        "无法解决",
        D(2025, 3, 9),
        "规划调整，项目暂缓",
    )
    assert_round_trip("problems")


def test_an_over_long_unsolvable_reason_is_an_error_of_the_result_column():
    report = import_rows(
        "problems",
        [PROBLEM_HEADER, problem_row(办理状态="无法解决", 办结日期="2025-03-02", 办理结果="理由" * 151)],
    )
    assert len(errors(report)) == 1
    assert errors(report)[0].startswith("第 2 行 办理结果：")
