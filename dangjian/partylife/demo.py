"""The demo zone's party life: from January of last year to today, the meetings each branch held
(with a few gaps, so the compliance page has something to show), trainings, activities,
documents and a standard duty list."""

import datetime
from decimal import Decimal

from dangjian.core.demo import DemoPart, day_in, months_between
from dangjian.core.registry import demo_loader
from dangjian.members.models import Member
from dangjian.organizations.models import BRANCH_KINDS, OrgKind, PartyOrganization

from . import services
from .models import (
    ActivityKind,
    DocumentCategory,
    DutyItem,
    LecturerRole,
    MeetingKind,
    StandardDutyList,
    TrainingKind,
    VoteKind,
)

THEMES = [
    "学习贯彻党的二十大精神",
    "重温入党誓词",
    "学雷锋志愿服务",
    "党史学习教育",
    "廉洁从业警示教育",
    "优化营商环境大讨论",
    "安全生产责任落实",
    "科技创新与党建融合",
    "秦创原建设学习交流",
    "乡村振兴结对帮扶",
    "走访慰问困难党员",
    "“七一”主题党日",
]
TRAINING_NAMES = {
    TrainingKind.CLASS_MEETING: "主题班会",
    TrainingKind.SPECIAL_CLASS: "党务干部专题培训班",
    TrainingKind.LECTURE_HALL: "高新大讲堂",
    TrainingKind.TALENT: "人才创新能力提升培训",
    TrainingKind.ENTREPRENEURSHIP: "创业孵化培训",
}


class PartyLifeLoader(DemoPart):
    def load(self):
        self.meetings()
        self.trainings()
        self.activities()
        self.documents()
        self.duties()

    # -- meetings ----------------------------------------------------------------------------------
    def meet(self, organization, kind, day, theme, **extra):
        services.meeting_create(
            actor=None, organization=organization, kind=kind, held_on=day, theme=theme, **extra
        )

    def meetings(self):
        rng, end = self.rng, self.today
        branches = PartyOrganization.objects.filter(
            kind__in=BRANCH_KINDS, dissolved_on__isnull=True
        ).order_by("path")
        count = 0
        for branch in branches:
            members = list(Member.objects.filter(organization=branch, left_on__isnull=True))
            sloppy = branch.name in ("陕西海恩电池科技有限公司党支部", "秦岭云计算大数据中心党支部")
            for month in months_between(self.start, end):
                skip = sloppy and rng.random() < 0.4
                day = day_in(month, rng, end)
                if day is None:
                    continue
                if not skip:
                    self.meet(
                        branch,
                        MeetingKind.THEME_DAY,
                        day,
                        f"{month:%Y年%m月}主题党日：{rng.choice(THEMES)}",
                        expected_count=len(members) or None,
                        present_count=max(len(members) - rng.randint(0, 3), 0) if members else None,
                    )
                    count += 1
                if branch.has_committee and not skip:
                    self.meet(
                        branch,
                        MeetingKind.COMMITTEE,
                        day.replace(day=2),
                        f"{month:%Y年%m月}支委会",
                        first_topic="学习习近平总书记最新重要讲话精神",
                    )
                    count += 1
                if month.month in (3, 6, 9, 12) and not skip:
                    attendance = [
                        {
                            "member": m,
                            "status": "present" if i % 9 else ("leave" if i % 2 else "absent"),
                            "absence_reason": "" if i % 9 or not i % 2 else "外出学习",
                        }
                        for i, m in enumerate(members)
                    ]
                    self.meet(
                        branch,
                        MeetingKind.BRANCH_GENERAL,
                        day.replace(day=27),
                        f"{month:%Y年}第{month.month // 3}季度党员大会",
                        attendance=attendance or None,
                        vote_kind=VoteKind.VOTE if attendance else VoteKind.NONE,
                        resolution="通过季度工作安排" if attendance else "",
                    )
                    role = rng.choice(
                        [
                            LecturerRole.SECRETARY,
                            LecturerRole.SECRETARY,
                            LecturerRole.COUNTY_LEADER,
                            LecturerRole.OTHER,
                        ]
                    )
                    self.meet(
                        branch,
                        MeetingKind.LECTURE,
                        day.replace(day=28),
                        f"专题党课：{rng.choice(THEMES)}",
                        lecturer=branch.secretary_name or "支部书记",
                        lecturer_role=role,
                    )
                    count += 2
                if month.month == 12:
                    self.meet(
                        branch, MeetingKind.LIFE_MEETING, day.replace(day=20), f"{month.year}年度组织生活会"
                    )
                    self.meet(
                        branch,
                        MeetingKind.MEMBER_REVIEW,
                        day.replace(day=21),
                        f"{month.year}年度民主评议党员",
                    )
                    count += 2
        for group in PartyOrganization.objects.filter(kind=OrgKind.PARTY_GROUP, dissolved_on__isnull=True):
            for month in months_between(self.start, end):
                day = day_in(month, rng, end)
                if day and rng.random() < 0.9:
                    self.meet(group, MeetingKind.GROUP, day, f"{month:%Y年%m月}党小组学习")
                    count += 1
        root = self.zone.shared["orgs"]["商洛高新区党工委"]
        for month in months_between(self.start, end):
            for _ in range(2):
                day = day_in(month, rng, end)
                if day:
                    self.meet(
                        root,
                        MeetingKind.WORK_CONFERENCE,
                        day,
                        f"党建工作会议（{day:%m月%d日}）：{rng.choice(THEMES)}",
                    )
                    count += 1
            day = day_in(month, rng, end)
            if day:
                self.meet(root, MeetingKind.FIRST_TOPIC, day, f"党工委会议第一议题学习（{day:%m月%d日}）")
                count += 1
        self.zone.say(f"组织生活会议 {count} 次")

    # -- trainings, activities, documents -------------------------------------------------------------
    def trainings(self):
        rng, root = self.rng, self.zone.shared["orgs"]["商洛高新区党工委"]
        count = 0
        for month in months_between(self.start, self.today):
            for kind, name in TRAINING_NAMES.items():
                if rng.random() < (0.35 if kind == TrainingKind.TALENT else 0.5):
                    day = day_in(month, rng, self.today)
                    if day is None:
                        continue
                    services.training_save(
                        actor=None,
                        name=f"{name}（{day:%Y年%m月}）",
                        kind=kind,
                        host_name=root.name,
                        organization=root,
                        start_on=day,
                        end_on=day + datetime.timedelta(days=rng.choice([0, 1, 2])),
                        attendance_count=rng.randint(20, 90),
                        hours=Decimal(rng.choice([3, 4, 6, 8, 16])),
                    )
                    count += 1
        self.zone.say(f"教育培训 {count} 期")

    def activities(self):
        rng = self.rng
        enterprises = list(self.zone.shared["enterprises"].values())
        root = self.zone.shared["orgs"]["商洛高新区党工委"]
        branches = [
            self.zone.shared["orgs"][n]
            for n in (
                "香菊集团生产党支部",
                "创业创新示范园联合党支部",
                "机关第一党支部",
                "陕西天士力植物药业有限责任公司党支部",
            )
        ]
        plan = [
            (ActivityKind.PRACTICE, 2, "主题实践活动"),
            (ActivityKind.PUBLIC_WELFARE, 1, "爱心公益"),
            (ActivityKind.JOINT_BUILDING, 0.5, "企企联建"),
            (ActivityKind.COMMUNITY_SERVICE, 1, "在职党员进社区"),
            (ActivityKind.ENTERPRISE_VISIT, 2, "上门问诊服务"),
            (ActivityKind.ENTREPRENEUR_FORUM, 0.35, "企业家座谈会"),
            (ActivityKind.BREAKFAST, 0.7, "营商环境早餐会"),
            (ActivityKind.DINNER, 0.6, "营商环境晚餐会"),
            (ActivityKind.SITE_MEETING, 0.5, "项目建设现场会"),
            (ActivityKind.JOINT_MEETING, 0.3, "项目联席会"),
            (ActivityKind.BANK_ENTERPRISE, 0.3, "银企对接会"),
            (ActivityKind.GOV_BANK_ENTERPRISE, 0.2, "政银企对接会"),
        ]
        count = 0
        for month in months_between(self.start, self.today):
            for kind, per_month, title in plan:
                times = int(per_month) + (1 if rng.random() < per_month % 1 else 0)
                for index in range(times):
                    day = day_in(month, rng, self.today)
                    if day is None:
                        continue
                    organizer = (
                        rng.choice(branches)
                        if kind
                        in (
                            ActivityKind.PRACTICE,
                            ActivityKind.PUBLIC_WELFARE,
                            ActivityKind.COMMUNITY_SERVICE,
                        )
                        else root
                    )
                    participants = None
                    if kind == ActivityKind.COMMUNITY_SERVICE:
                        members = list(
                            Member.objects.filter(organization=organizer, left_on__isnull=True)[:6]
                        )
                        participants = [
                            {
                                "member": m,
                                "place": rng.choice(["城关社区", "东店社区", "通村社区"]),
                                "content": rng.choice(["政策宣讲", "环境整治", "助老服务"]),
                                "hours": Decimal(2),
                            }
                            for m in members
                        ]
                    services.activity_save(
                        actor=None,
                        name=f"{title}（{day:%Y年%m月%d日}{'' if index == 0 else f'第{index + 1}场'}）",
                        kind=kind,
                        organization=organizer,
                        held_on=day,
                        participant_count=rng.randint(8, 60),
                        donation=Decimal(rng.choice([2000, 5000, 8000, 12000]))
                        if kind == ActivityKind.PUBLIC_WELFARE
                        else None,
                        enterprises=rng.sample(enterprises, k=rng.randint(1, 4))
                        if kind
                        in (
                            ActivityKind.ENTERPRISE_VISIT,
                            ActivityKind.ENTREPRENEUR_FORUM,
                            ActivityKind.BREAKFAST,
                            ActivityKind.DINNER,
                            ActivityKind.BANK_ENTERPRISE,
                            ActivityKind.GOV_BANK_ENTERPRISE,
                            ActivityKind.JOINT_BUILDING,
                        )
                        else None,
                        participants=participants,
                    )
                    count += 1
        self.zone.say(f"活动 {count} 次")

    def documents(self):
        rng, root = self.rng, self.zone.shared["orgs"]["商洛高新区党工委"]
        count = 0
        for year in (self.today.year - 1, self.today.year):
            number = 0
            for month in months_between(
                datetime.date(year, 1, 1), min(self.today, datetime.date(year, 12, 31))
            ):
                for _ in range(rng.randint(4, 9)):
                    day = day_in(month, rng, self.today)
                    if day is None:
                        continue
                    number += 1
                    category = rng.choice(DocumentCategory.values)
                    services.document_save(
                        actor=None,
                        number=f"商高党工发〔{year}〕{number}号",
                        organization=root,
                        issued_on=day,
                        title=f"关于{rng.choice(THEMES)}的{DocumentCategory(category).label}",
                        category=category,
                    )
                    count += 1
        self.zone.say(f"发文 {count} 份")

    def duties(self):
        year = self.today.year
        standard = StandardDutyList.objects.create(
            title="党组织书记抓党建工作责任清单",
            year=year,
            org_kind=OrgKind.BRANCH,
            items=[
                {"title": "制定年度党建工作计划", "deadline": f"{year}-02-28"},
                {"title": "落实“三会一课”制度", "deadline": f"{year}-12-31"},
                {"title": "书记讲专题党课", "deadline": f"{year}-06-30", "led_by_secretary": True},
                {"title": "书记领办一件为民实事", "deadline": f"{year}-10-31", "led_by_secretary": True},
                {"title": "开展党员教育培训", "deadline": f"{year}-09-30"},
                {"title": "组织生活会和民主评议党员", "deadline": f"{year + 1}-01-31"},
            ],
        )
        created = services.standard_list_issue(actor=None, standard=standard)
        for index, item in enumerate(
            DutyItem.objects.filter(duty_list__year=year).select_related("duty_list").order_by("id")
        ):
            if item.deadline < self.today and index % 5 != 0:
                services.duty_item_progress(
                    actor=None, item=item, text="已按计划推进", on=item.deadline.replace(day=1)
                )
                services.duty_item_complete(actor=None, item=item, on=item.deadline)
            elif index % 3 == 0:
                services.duty_item_progress(actor=None, item=item, text="正在组织实施")
        self.zone.say(f"责任清单 {created} 份（逾期未完成的事项见责任清单）")


@demo_loader(order=50)
def load_party_life(demo):
    PartyLifeLoader(demo).load()
