"""The demo zone's key projects under package responsibility: 28 cadres for 34 projects as in the
seed article, milestones and approvals (两河口城市运动公园 finished five approvals in ten days),
a year of daily records, problems from projects, visits and finance meetings, weekly dispatch
meetings with their follow-ups, and last year's assessment."""

import datetime
from decimal import Decimal

from dangjian.cadres import services as cadre_services
from dangjian.cadres.models import Cadre
from dangjian.core.calendar import workdays
from dangjian.core.demo import DemoPart, months_between
from dangjian.core.registry import demo_loader
from dangjian.enterprises import services as enterprise_services

from . import services
from .models import FollowUp, ProblemCategory, ProblemSource, ProjectCategory, ProjectStatus

PROJECTS = [
    (
        "两河口城市运动公园",
        ProjectCategory.INFRASTRUCTURE,
        "商洛高新建设投资有限公司",
        32000,
        "两河口城市运动公园项目临时党支部",
    ),
    ("高新公园", ProjectCategory.INFRASTRUCTURE, "商洛高新建设投资有限公司", 12000, "高新公园项目临时党支部"),
    ("秦岭云计算大数据中心二期", ProjectCategory.INDUSTRIAL, "秦岭云计算大数据中心有限公司", 86000, None),
    (
        "海恩电池改性磷酸铁锂正极材料及储能电池",
        ProjectCategory.INDUSTRIAL,
        "陕西海恩电池科技有限公司",
        300000,
        None,
    ),
    ("商洛国峰水产业园", ProjectCategory.INDUSTRIAL, "陕西商洛国峰水产业园有限公司", 45000, None),
    ("香菊药业中药配方颗粒生产线", ProjectCategory.INDUSTRIAL, "陕西香菊药业集团有限公司", 28000, None),
    ("天士力植物药提取车间扩能", ProjectCategory.INDUSTRIAL, "陕西天士力植物药业有限责任公司", 21000, None),
    ("比亚迪汽车零部件扩产", ProjectCategory.INDUSTRIAL, "商洛比亚迪实业有限公司", 65000, None),
    ("盘龙新材料光伏玻璃", ProjectCategory.INDUSTRIAL, "商洛盘龙新材料科技有限公司", 52000, None),
    ("秦创原（商洛）创新促进中心", ProjectCategory.SOCIAL, "商洛秦创原科技服务有限公司", 9000, None),
]
EXTRA_PROJECT_NAMES = [
    "高新区标准化厂房三期",
    "电子信息产业园",
    "生物医药孵化基地",
    "新材料中试基地",
    "绿色食品冷链物流中心",
    "高新区污水处理厂提标改造",
    "创业创新示范园二期",
    "人才公寓",
    "高新大道延伸段",
    "丹江两岸景观提升",
    "智慧园区平台",
    "检验检测中心",
    "新能源储能电站",
    "职业技能实训基地",
    "秦岭生态环境监测站",
    "物流园区道路",
    "商洛学院大学科技园",
    "公共服务中心",
    "企业服务大厅改造",
    "高新区消防站",
    "电力专线工程",
    "天然气管网延伸",
    "雨污分流改造",
    "产业孵化器",
]
APPROVALS = ["项目立项", "用地规划许可", "工程规划许可", "施工图审查", "施工许可"]
WORDS = [
    "到项目现场了解施工进度",
    "协调解决用电接入",
    "走访企业了解用工需求",
    "对接银行融资事宜",
    "督促施工单位加快进度",
    "现场查看安全生产",
    "协调用地手续",
    "参加项目推进会",
    "陪同企业办理审批",
    "收集企业诉求并交办",
]
PROBLEMS = [
    (ProblemCategory.APPROVAL, "施工许可办理周期长"),
    (ProblemCategory.FINANCING, "流动资金周转困难"),
    (ProblemCategory.LABOR, "技术工人招聘难"),
    (ProblemCategory.CONSTRUCTION, "渣土外运受限影响进度"),
    (ProblemCategory.FACTORS, "用电负荷不足需增容"),
    (ProblemCategory.ACCEPTANCE, "消防验收资料不全"),
    (ProblemCategory.SALES, "产品进入本地市场渠道不畅"),
    (ProblemCategory.POLICY, "技改补贴政策申报不清楚"),
    (ProblemCategory.EMPLOYMENT, "返乡青年创业场地需求"),
]


class ProjectsLoader(DemoPart):
    def load(self):
        self.cadre_list = list(Cadre.objects.order_by("id"))  # made by the cadres loader
        self.projects()
        self.daily_records()
        self.problems()
        self.dispatch()
        services.assessment_run(actor=None, year=self.today.year - 1, today=self.today)

    def projects(self):
        rng = self.rng
        self.project_list = []
        rows = list(PROJECTS) + [
            (name, rng.choice(ProjectCategory.values), "", rng.choice([5000, 8000, 15000, 30000]), None)
            for name in EXTRA_PROJECT_NAMES
        ]
        for index, (name, category, owner, investment, branch) in enumerate(rows):
            started = self.start - datetime.timedelta(days=rng.randint(30, 500))
            project = services.project_save(
                actor=None,
                name=name,
                category=category,
                owner_name=owner,
                total_investment=Decimal(investment),
                annual_investment=Decimal(investment) / 4,
                status=rng.choice(
                    [
                        ProjectStatus.UNDER_CONSTRUCTION,
                        ProjectStatus.UNDER_CONSTRUCTION,
                        ProjectStatus.PRELIMINARY,
                    ]
                ),
                started_on=started.replace(day=1),
                started_month_only=True,
                temp_branch=self.zone.shared["orgs"][branch] if branch else None,
            )
            lead = self.cadre_list[index % len(self.cadre_list)]
            others = [self.cadre_list[(index + 7) % len(self.cadre_list)]] if index % 3 == 0 else []
            cadre_services.assignment_set(actor=None, project=project, cadres=[lead, *others], on=self.start)
            for step, month in enumerate(range(3, 13, 3), start=1):
                planned = datetime.date(
                    self.today.year - 1 + (1 if step > 3 else 0), month if step <= 3 else 3, 15
                )
                actual = None
                if planned < self.today and rng.random() < 0.8:
                    actual = planned + datetime.timedelta(days=rng.randint(-10, 20))
                    actual = min(actual, self.today)
                services.milestone_save(
                    actor=None,
                    project=project,
                    name=f"第{step}阶段节点",
                    planned_on=planned,
                    actual_on=actual,
                )
            self.project_list.append(project)
        park = self.project_list[0]
        day = datetime.date(self.today.year - 1, 3, 1)
        for offset, item in enumerate(APPROVALS):
            services.approval_save(
                actor=None,
                project=park,
                item=item,
                submitted_on=day + datetime.timedelta(days=offset),
                approved_on=day + datetime.timedelta(days=min(offset * 2 + 1, 9)),
            )
        demo = self.cadre_list[0]
        cadre_services.assignment_set(actor=None, project=self.project_list[3], cadres=[demo], on=self.start)
        for name in ("陕西海恩电池科技有限公司", "秦岭云计算大数据中心有限公司"):
            enterprise = self.zone.shared["enterprises"][name]
            cadre_services.assignment_set(actor=None, enterprise=enterprise, cadres=[demo], on=self.start)
            enterprise_services.enterprise_update(actor=None, enterprise=enterprise, contact_cadre=demo.user)
        self.zone.say(f"重点项目 {len(self.project_list)} 个")

    def daily_records(self):
        rng = self.rng
        days = workdays(self.start, self.today - datetime.timedelta(days=1))
        count = 0
        for cadre in self.cadre_list:
            projects = [
                a.project for a in cadre.assignments.filter(project__isnull=False, end_on__isnull=True)
            ]
            diligence = 0.95 if cadre == self.cadre_list[0] else rng.uniform(0.55, 0.9)
            for day in days:
                if rng.random() > diligence * (
                    0.25 if day < self.today - datetime.timedelta(days=120) else 1
                ):
                    continue
                chosen = rng.sample(projects, k=min(len(projects), 1)) if projects else []
                services.daily_record_save(
                    actor=cadre.user,
                    cadre=cadre,
                    day=day,
                    content=rng.choice(WORDS) + "。",
                    projects=chosen,
                    is_visit=rng.random() < 0.4,
                )
                count += 1
        self.zone.say(f"日纪实 {count} 篇")

    def problems(self):
        rng = self.rng
        enterprises = list(self.zone.shared["enterprises"].values())
        count = 0
        for month in months_between(self.start, self.today):
            for _ in range(rng.randint(3, 7)):
                raised = month.replace(day=rng.randint(1, 25))
                if raised >= self.today:
                    continue
                source = rng.choice(
                    [
                        ProblemSource.PROJECT,
                        ProblemSource.PROJECT,
                        ProblemSource.VISIT,
                        ProblemSource.FINANCE_MEETING,
                        ProblemSource.REQUEST,
                    ]
                )
                category, text = rng.choice(PROBLEMS)
                project = rng.choice(self.project_list) if source == ProblemSource.PROJECT else None
                enterprise = None if project else rng.choice(enterprises)
                problem = services.problem_raise(
                    actor=None,
                    source=source,
                    category=category,
                    description=f"{text}（{raised:%m月%d日}）",
                    raised_on=raised,
                    project=project,
                    enterprise=enterprise,
                    owner=None if project else rng.choice(self.cadre_list),
                    deadline=raised + datetime.timedelta(days=rng.choice([10, 15, 30])),
                )
                count += 1
                roll = rng.random()
                accepted = raised + datetime.timedelta(days=1)
                if accepted >= self.today:
                    continue
                services.problem_accept(actor=None, problem=problem, on=accepted)
                if roll < 0.8:
                    closed = min(raised + datetime.timedelta(days=rng.randint(3, 40)), self.today)
                    services.problem_solve(actor=None, problem=problem, on=closed, result="已协调解决")
                elif roll < 0.85:
                    services.problem_unsolvable(
                        actor=None, problem=problem, on=accepted, reason="超出园区权限，已报市级部门"
                    )
        escalated = services.problems_escalate(actor=None, today=self.today)
        self.zone.say(f"堵点难点问题 {count} 个（{escalated} 个逾期已升级）")

    def dispatch(self):
        rng = self.rng
        monday = self.start - datetime.timedelta(days=self.start.weekday())
        count = 0
        while monday + datetime.timedelta(days=4) < self.today:
            held = monday + datetime.timedelta(days=4)
            meeting = services.dispatch_meeting_save(
                actor=None,
                week_start=monday,
                held_on=held,
                host="邢俊",
                attendees="党工委班子成员、各包抓干部",
                minutes="听取本周项目推进和问题办理情况，研究解决堵点难点。",
            )
            if rng.random() < 0.6:
                services.follow_up_add(
                    actor=None,
                    meeting=meeting,
                    text="督促逾期问题限期办结",
                    owner=rng.choice(self.cadre_list),
                    deadline=held + datetime.timedelta(days=7),
                    kind=FollowUp.Kind.TASK,
                )
            monday += datetime.timedelta(days=7)
            count += 1
        self.zone.say(f"周调度会 {count} 次")


@demo_loader(
    order=60,
    logins=[
        (
            4,
            "cadre",
            "包抓干部王一博：两河口城市运动公园等项目，海恩电池、秦岭云计算两家企业；手机填报日纪实 /m/daily/",
        )
    ],
)
def load_projects(demo):
    ProjectsLoader(demo).load()
