"""The demo zone's service desk: enterprises with their designated cadres, contacts for a few
enterprises (login "enterprise" for 天士力), and from January of last year to today requests in
every state; visits and events get the cadres who took part, and some problems link back to
the visit they were raised at."""

import datetime

from dangjian.accounts.models import Grant, Role, User
from dangjian.cadres import services as cadre_services
from dangjian.cadres.models import Cadre
from dangjian.core.calendar import add_workdays
from dangjian.core.demo import DemoPart, months_between
from dangjian.core.registry import demo_loader
from dangjian.enterprises import services as enterprise_services
from dangjian.partylife import services as partylife_services
from dangjian.partylife.models import Activity, ActivityKind
from dangjian.projects import services as project_services
from dangjian.projects.models import ProblemCategory, ProblemSource

from . import services
from .models import Handling, RequestCategory, RequestKind

TITLES = {
    RequestKind.DEMAND: [
        "协调解决厂区道路积水",
        "申请人才公寓",
        "协调用电增容",
        "解决员工子女入学",
        "协调周边交通",
    ],
    RequestKind.APPROVAL: ["代办环评批复", "代办施工许可", "代办排污许可", "代办消防验收", "代办不动产登记"],
    RequestKind.SERVICE: [
        "政策申报辅导",
        "高新技术企业认定辅导",
        "银行贷款对接",
        "招聘会场地协调",
        "知识产权申请指导",
    ],
}


class ServiceDeskLoader(DemoPart):
    def load(self):
        self.contacts()
        self.visits()
        self.requests()

    def contacts(self):
        cadres = list(Cadre.objects.order_by("id"))
        for index, enterprise in enumerate(self.zone.shared["enterprises"].values()):
            if enterprise.contact_cadre_id:
                continue
            cadre = cadres[(index * 3) % len(cadres)]
            cadre_services.assignment_set(actor=None, enterprise=enterprise, cadres=[cadre], on=self.start)
            enterprise_services.enterprise_update(actor=None, enterprise=enterprise, contact_cadre=cadre.user)
        role = Role.objects.get(code="enterprise_contact")
        for name in ("陕西香菊药业集团有限公司", "商洛比亚迪实业有限公司", "陕西海恩电池科技有限公司"):
            enterprise = self.zone.shared["enterprises"][name]
            user = User.objects.create_user(
                username=f"contact{enterprise.pk}", full_name=f"{name[:4]}联络员", password=None
            )
            Grant.objects.create(user=user, role=role, enterprise=enterprise)

    def visits(self):
        """Visits and events with enterprises: the cadres who took part, and problems raised there."""
        cadres = list(Cadre.objects.order_by("id"))
        kinds = [
            ActivityKind.ENTERPRISE_VISIT,
            ActivityKind.ENTREPRENEUR_FORUM,
            ActivityKind.BREAKFAST,
            ActivityKind.DINNER,
            ActivityKind.BANK_ENTERPRISE,
            ActivityKind.GOV_BANK_ENTERPRISE,
        ]
        for activity in Activity.objects.filter(kind__in=kinds).prefetch_related("enterprises"):
            chosen = self.rng.sample(cadres, k=self.rng.randint(1, 3))
            partylife_services.activity_save(actor=None, instance=activity, cadres=chosen)
            if self.rng.random() < 0.3 and activity.enterprises.exists():
                enterprise = activity.enterprises.first()
                source = (
                    ProblemSource.FINANCE_MEETING
                    if activity.kind in (ActivityKind.BANK_ENTERPRISE, ActivityKind.GOV_BANK_ENTERPRISE)
                    else ProblemSource.VISIT
                )
                problem = project_services.problem_raise(
                    actor=None,
                    source=source,
                    category=self.rng.choice(
                        [ProblemCategory.FINANCING, ProblemCategory.LABOR, ProblemCategory.FACTORS]
                    ),
                    description=f"{activity.name}上{enterprise.name}提出的困难",
                    raised_on=activity.held_on,
                    enterprise=enterprise,
                    owner=chosen[0],
                    source_activity=activity,
                    deadline=activity.held_on + datetime.timedelta(days=30),
                )
                solved_on = activity.held_on + datetime.timedelta(days=self.rng.randint(5, 40))
                if solved_on < self.today:
                    project_services.problem_solve(
                        actor=None, problem=problem, on=solved_on, result="已协调解决"
                    )

    def requests(self):
        rng, today = self.rng, self.today
        enterprises = [e for e in self.zone.shared["enterprises"].values()]
        categories = list(RequestCategory.objects.all())
        count = 0
        for month in months_between(self.start, today):
            for _ in range(rng.randint(6, 12)):
                day = month.replace(day=rng.randint(1, 27))
                if day >= today:
                    continue
                enterprise = rng.choice(enterprises)
                enterprise.refresh_from_db()
                kind = rng.choice(
                    [RequestKind.DEMAND, RequestKind.APPROVAL, RequestKind.SERVICE, RequestKind.SERVICE]
                )
                request = services.request_submit(
                    actor=None,
                    enterprise=enterprise,
                    kind=kind,
                    category=rng.choice(categories),
                    title=rng.choice(TITLES[kind]),
                    description="请园区协助办理。",
                    submitted_on=day,
                )
                count += 1
                self.progress(request)
        services.requests_escalate(actor=None, today=today)
        services.requests_auto_confirm(actor=None, today=today)
        self.recent_for_demo_contact(categories)
        self.zone.say(f"企业诉求与服务事项 {count + 3} 项")

    def recent_for_demo_contact(self, categories):
        """天士力 (login "enterprise") has one request waiting to be accepted, one being handled and
        one closed and waiting for its rating."""
        enterprise = self.zone.shared["enterprises"]["陕西天士力植物药业有限责任公司"]
        enterprise.refresh_from_db()
        back = [self.today - datetime.timedelta(days=d) for d in (0, 6, 12)]
        services.request_submit(
            actor=None,
            enterprise=enterprise,
            kind=RequestKind.DEMAND,
            category=categories[0],
            title="厂区门前路灯损坏",
            description="夜间出入不便，请尽快维修。",
            submitted_on=back[0],
        )
        handled = services.request_submit(
            actor=None,
            enterprise=enterprise,
            kind=RequestKind.APPROVAL,
            category=categories[2],
            title="代办危险化学品经营许可",
            description="请协助办理。",
            submitted_on=back[1],
        )
        services.request_accept(actor=None, request=handled, on=back[1], handling=Handling.PROXY)
        done = services.request_submit(
            actor=None,
            enterprise=enterprise,
            kind=RequestKind.SERVICE,
            category=categories[1],
            title="研发费用加计扣除政策辅导",
            description="请安排辅导。",
            submitted_on=back[2],
        )
        services.request_accept(actor=None, request=done, on=back[2], handling=Handling.CADRE)
        services.request_close(actor=None, request=done, on=self.today, result="已上门辅导并协助填报")

    def progress(self, request):
        rng, today = self.rng, self.today
        late = rng.random() < 0.12
        accept_on = add_workdays(
            request.submitted_on,
            request.accept_due and ((request.accept_due - request.submitted_on).days + 2 if late else 1),
        )
        if accept_on >= today:
            return
        if rng.random() < 0.05:
            services.request_return(actor=None, request=request, on=accept_on, reason="请补充营业执照复印件")
            return
        services.request_accept(
            actor=None, request=request, on=accept_on, handling=rng.choice(Handling.values)
        )
        started = accept_on + datetime.timedelta(days=1)
        if started >= today:
            return
        services.request_start(actor=None, request=request, on=started)
        roll = rng.random()
        if roll < 0.08:
            services.request_transfer(
                actor=None, request=request, on=started, department="市自然资源局", note="涉及用地审批"
            )
        elif roll < 0.12:
            services.request_suspend(actor=None, request=request, on=started, reason="等待企业完成内部决策")
            return
        span = rng.randint(2, 25)
        closed = started + datetime.timedelta(days=span)
        if closed >= today:
            return
        services.request_close(actor=None, request=request, on=closed, result="已办结")
        rated_on = closed + datetime.timedelta(days=rng.randint(1, 5))
        if rated_on < today and rng.random() < 0.8:
            services.request_rate(
                actor=None,
                request=request,
                rating=rng.choice([5, 5, 5, 4, 4, 3]),
                comment=rng.choice(["", "办理及时", "服务周到"]),
                on=rated_on,
            )


@demo_loader(order=70)
def load_service_desk(demo):
    ServiceDeskLoader(demo).load()
