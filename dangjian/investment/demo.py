"""The demo zone's investment attraction (招商引资), as the seed article tells it for last year:
"聚焦'3+N'产业集群，聘任10名招商大使和9名招商顾问，成立8个招商小分队，开展招商对接32场次，签约项目6个，
实现招商到位资金8.82亿元", and "带队赴西安、长沙、深圳、湖南、北京考察学习".

So for last year (the seed year): 10 ambassadors and 9 advisors in post on 31 December (one more
ambassador left in the autumn and is not counted then), 8 teams each with a leader (a demo
cadre) and two or three members, 32 招商对接 across cities, five 考察学习 trips and a 推介会
(neither counted as 对接), leads at every stage, exactly 6 projects signed and not terminated
whose tranches add to 88200 万元, one of them carried into the key projects; one lead left
without a follow-up and one signed project not started, so both warnings show; and this year's
first events and a signing, with the targets of both years. Everything through the services."""

import datetime
from decimal import Decimal

from dangjian.accounts import services as account_services
from dangjian.cadres.models import Cadre
from dangjian.core.demo import DEMO_PASSWORD, DemoPart
from dangjian.core.registry import demo_loader
from dangjian.core.services import config_save
from dangjian.enterprises.models import IndustryCluster

from . import services
from .models import AnnualTarget, EventForm, PersonRole, Stage

D = datetime.date
LOGIN = "investment"

# 招商大使: name, unit, what they cover, (month, day) appointed in the seed year
AMBASSADORS = [
    ("罗建平", "陕西商洛商会西安分会会长", "西安及关中地区", (1, 12)),
    ("易海涛", "深圳秦商联合会副会长", "深圳及珠三角", (1, 12)),
    ("钟晓燕", "长沙陕西商会秘书长", "长沙及湖南", (1, 12)),
    ("汪志强", "北京陕西企业商会理事", "北京及京津冀", (1, 12)),
    ("孔文博", "上海陕西商会常务理事", "上海及长三角", (2, 20)),
    ("贺明轩", "杭州商洛籍企业家联谊会会长", "杭州、宁波", (2, 20)),
    ("姚静", "成都陕西商会副秘书长", "成都、重庆", (3, 15)),
    ("常俊杰", "苏州电子信息企业家协会理事", "苏州及电子信息产业", (4, 8)),
    ("龚雨萱", "广州生物医药产业联盟秘书长", "广州及生物医药产业", (6, 18)),
    ("段思远", "武汉新能源汽车零部件商会会长", "武汉及新能源产业", (12, 31)),
]
# the ambassador who left in the autumn: appointed, then gone by 31 December
LEFT_AMBASSADOR = ("崔建华", "西安新材料企业家协会副会长", "西安及新材料产业", (1, 12), (9, 30))
# 招商顾问: name, unit, the industry they advise on
ADVISORS = [
    ("沈国强", "西北有色金属研究院教授级高工", "新材料"),
    ("苏丽", "西安交通大学医学部教授", "生物医药"),
    ("魏宇轩", "中国科学院物理研究所研究员", "新能源"),
    ("蒋子涵", "陕西省食品工业协会副会长", "绿色食品"),
    ("叶嘉怡", "西安电子科技大学教授", "电子信息"),
    ("田浩然", "陕西省物流与采购联合会秘书长", "现代服务业"),
    ("潘一鸣", "国家开发银行陕西分行高级经理", "产业投融资"),
    ("夏欣怡", "德勤咨询（西安）合伙人", "产业规划"),
    ("范晓东", "陕西秦创原科技成果转化中心主任", "科技成果转化"),
]
# 招商小分队: name, focus, members (the leader is a demo cadre)
TEAMS = [
    ("第一招商小分队", "新材料（钒钛、光伏玻璃）", ["张晓东", "李欣怡"]),
    ("第二招商小分队", "生物医药（中药、原料药）", ["陈佳琪", "杨建国", "黄梓涵"]),
    ("第三招商小分队", "新能源（锂电、储能）", ["周子涵", "吴明"]),
    ("第四招商小分队", "绿色食品（富硒、饮品）", ["徐秀英", "孙磊", "胡娜"]),
    ("第五招商小分队", "电子信息（智能终端、元器件）", ["朱超", "高娟"]),
    ("第六招商小分队", "现代服务业（物流、文旅）", ["林涛", "何静", "郭勇"]),
    ("第七招商小分队", "京津冀方向", ["马艳", "梁杰"]),
    ("第八招商小分队", "长三角、珠三角方向", ["宋丽", "郑洋", "谢敏"]),
]
TEAM_CLUSTER = ["新材料", "生物医药", "新能源", "绿色食品", "电子信息", "现代服务业", "新材料", "电子信息"]
# the seed year's 32 招商对接: city, industry (the team is the industry's; the zone's province is 陕西)
MATCHMAKING = [
    ("西安", "新材料"),
    ("深圳", "电子信息"),
    ("长沙", "生物医药"),
    ("北京", "新能源"),
    ("上海", "生物医药"),
    ("杭州", "绿色食品"),
    ("成都", "现代服务业"),
    ("宝鸡", "新材料"),
    ("苏州", "电子信息"),
    ("宁波", "新材料"),
    ("武汉", "新能源"),
    ("广州", "生物医药"),
    ("咸阳", "绿色食品"),
    ("重庆", "现代服务业"),
    ("西安", "电子信息"),
    ("深圳", "新能源"),
    ("长沙", "新材料"),
    ("北京", "生物医药"),
    ("上海", "电子信息"),
    ("杭州", "现代服务业"),
    ("成都", "绿色食品"),
    ("西安", "生物医药"),
    ("天津", "新能源"),
    ("南京", "新材料"),
    ("东莞", "电子信息"),
    ("合肥", "新能源"),
    ("郑州", "绿色食品"),
    ("西安", "现代服务业"),
    ("深圳", "生物医药"),
    ("杨凌", "绿色食品"),
    ("北京", "新材料"),
    ("上海", "新能源"),
]
INDUSTRY_TEAM = {"新材料": 0, "生物医药": 1, "新能源": 2, "绿色食品": 3, "电子信息": 4, "现代服务业": 5}
MET = {
    "新材料": ["中钒新材料科技有限公司", "华晶光伏玻璃集团", "金属复合材料研究院"],
    "生物医药": ["康源中药饮片有限公司", "博瑞原料药股份有限公司", "华健医疗投资基金"],
    "新能源": ["锂源动力电池有限公司", "储能科技集团", "新能源产业投资基金"],
    "绿色食品": ["富硒农业发展有限公司", "山泉饮品集团", "冷链食品有限公司"],
    "电子信息": ["智联终端科技有限公司", "精密元器件股份有限公司", "电子信息产业基金"],
    "现代服务业": ["通达供应链管理有限公司", "文旅数字科技有限公司", "物流产业园运营集团"],
}
# 考察学习 in the seed year (the seed's five places) and the 推介会
STUDY_TOURS = [
    ("西安", "赴西安高新区考察学习产业园区运营", (3, 26)),
    ("长沙", "赴长沙经开区考察学习工程机械产业链招商", (5, 21)),
    ("深圳", "赴深圳坪山区考察学习生物医药产业招商", (7, 16)),
    ("湖南", "赴湖南株洲考察学习新能源产业集群发展", (9, 10)),
    ("北京", "赴北京亦庄考察学习科技成果转化", (11, 5)),
]

# the seed year's projects. Signed (not terminated): name, investor, cluster, planned, signed
# amount, signed (m, d), started (m, d) or None, producing (m, d) or None, tranches [(m, d, 万元)]
SIGNED = [
    (
        "年产5万吨锂电池正极材料前驱体项目",
        "湖南锂源动力电池有限公司",
        "新能源",
        65000,
        60000,
        (3, 18),
        (5, 10),
        (11, 28),
        [(4, 10, 8000), (7, 5, 12000), (11, 20, 10000)],
    ),
    (
        "中药配方颗粒智能工厂项目",
        "广州康源中药饮片有限公司",
        "生物医药",
        22000,
        20000,
        (4, 22),
        None,  # signed, not started: the 6-month warning
        None,
        [(6, 18, 3000), (9, 12, 2200)],
    ),
    (
        "光伏压延玻璃深加工项目",
        "浙江华晶光伏玻璃集团有限公司",
        "新材料",
        48000,
        45000,
        (5, 16),
        (8, 1),
        None,
        [(6, 2, 9000), (8, 20, 11000), (12, 10, 6000)],
    ),
    (
        "钒钛新材料精深加工项目",
        "北京中钒新材料科技有限公司",
        "新材料",
        30000,
        28000,
        (7, 8),
        (10, 15),
        None,
        [(8, 5, 5000), (11, 26, 7000)],
    ),
    (
        "秦岭富硒食品产业园项目",
        "杭州富硒农业发展有限公司",
        "绿色食品",
        15000,
        15000,
        (9, 6),
        (11, 2),
        None,
        [(9, 28, 2500), (12, 15, 3500)],
    ),
    (
        "智能终端电子元器件生产基地项目",
        "深圳智联终端科技有限公司",
        "电子信息",
        26000,
        25000,
        (11, 12),
        (12, 20),
        None,
        [(11, 30, 4000), (12, 28, 5000)],
    ),
]
CARRIED = "光伏压延玻璃深加工项目"  # carried into the key projects (项目包抓)
NOT_STARTED = "中药配方颗粒智能工厂项目"
SIGNED_THEN_TERMINATED = ("新型墙体建材一体化项目", "西安宏基建材有限公司", "新材料", (6, 10), (10, 8))
TERMINATED_REASON = "投资方资金链紧张，经双方协商解除投资协议"
STALE_LEAD = "冷链物流分拨中心项目"
SEED_TOTAL = Decimal(88200)


class InvestmentLoader(DemoPart):
    def load(self):
        self.year = self.today.year - 1
        self.clusters = {c.name: c for c in IndustryCluster.objects.all()}
        self.people()
        self.events()
        self.projects()
        self.this_year()
        self.targets()
        self.zone.say(
            f"招商引资：{self.year}年招商大使 {len(AMBASSADORS)} 名、招商顾问 {len(ADVISORS)} 名、"
            f"小分队 {len(TEAMS)} 个、招商对接 {len(MATCHMAKING)} 场、签约项目 {len(SIGNED)} 个、"
            f"到位资金 {SEED_TOTAL} 万元"
        )

    def day(self, month_day, year=None):
        return D(year or self.year, *month_day)

    # -- people and teams -------------------------------------------------------------------------
    def people(self):
        rng = self.rng
        self.ambassadors = []
        for name, unit, covers, appointed in AMBASSADORS:
            self.ambassadors.append(
                services.person_save(
                    actor=None,
                    name=name,
                    role=PersonRole.AMBASSADOR,
                    unit=unit,
                    covers=covers,
                    phone=self.zone.mobile(),
                    appointed_on=self.day(appointed),
                    term_until=D(self.year + 2, 12, 31),
                )
            )
        name, unit, covers, appointed, left = LEFT_AMBASSADOR
        leaver = services.person_save(
            actor=None,
            name=name,
            role=PersonRole.AMBASSADOR,
            unit=unit,
            covers=covers,
            appointed_on=self.day(appointed),
            term_until=D(self.year + 2, 12, 31),
        )
        self.leaver = services.person_leave(
            actor=None, person=leaver, on=self.day(left), reason="工作调动，本人申请不再担任招商大使"
        )
        self.advisors = [
            services.person_save(
                actor=None,
                name=name,
                role=PersonRole.ADVISOR,
                unit=unit,
                covers=covers,
                appointed_on=self.day((1 + index % 4, 15)),
                term_until=D(self.year + 1, 12, 31),
            )
            for index, (name, unit, covers) in enumerate(ADVISORS)
        ]
        # the leaders are demo cadres (not 王一博, the "cadre" login), their accounts their own
        cadres = list(Cadre.objects.order_by("id")[1 : 1 + len(TEAMS)])
        founded = self.day((1, 8))
        self.teams, self.leaders, self.members = [], [], []
        for index, (team_name, focus, members) in enumerate(TEAMS):
            team = services.team_save(
                actor=None, name=team_name, focus=focus, established_on=founded, note="党工委研究决定成立"
            )
            cadre = cadres[index % len(cadres)]
            leader = services.person_save(
                actor=None,
                name=cadre.name,
                role=PersonRole.LEADER,
                team=team,
                cadre=cadre,
                unit=f"高新区管委会 {cadre.title}",
                covers=focus,
                appointed_on=founded,
            )
            people = [
                services.person_save(
                    actor=None,
                    name=member,
                    role=PersonRole.MEMBER,
                    team=team,
                    unit=rng.choice(["高新区招商服务中心", "高新区经济发展局", "高新区企业服务局"]),
                    covers=focus,
                    phone=self.zone.mobile(),
                    appointed_on=founded,
                )
                for member in members
            ]
            self.teams.append(team)
            self.leaders.append(leader)
            self.members.append(people)
        # the demo login of the role 招商人员: the first team's first member
        login = self.members[0][0].user
        login.username = LOGIN
        account_services.user_save(actor=None, user=login, password=DEMO_PASSWORD)

    def crew(self, index, day):
        """Who went: the team's leader and members in post that day, and an ambassador."""
        people = [self.leaders[index], *self.members[index]]
        ambassador = self.ambassadors[index % len(self.ambassadors)]
        if ambassador.in_post(day):
            people.append(ambassador)
        return [p for p in people if p.in_post(day)]

    # -- events ---------------------------------------------------------------------------------
    def events(self):
        self.matchmaking = []
        first = self.day((2, 18))
        for index, (city, industry) in enumerate(MATCHMAKING):
            held = first + datetime.timedelta(days=index * 10)  # the last in late December
            team_index = INDUSTRY_TEAM[industry]
            if city in ("北京", "天津"):
                team_index = 6
            elif city in ("上海", "杭州", "宁波", "苏州", "南京", "深圳", "广州", "东莞") and index % 2:
                team_index = 7
            met = MET[industry]
            self.matchmaking.append(
                services.event_save(
                    actor=None,
                    name=f"{city}{industry}产业招商对接会",
                    held_on=held,
                    city=city,
                    form=EventForm.MATCHMAKING,
                    team=self.teams[team_index],
                    participants=self.crew(team_index, held),
                    met="\n".join(f"{city}{company}" for company in met[: 2 + index % 2]),
                    note=f"围绕{industry}产业链开展精准对接，介绍园区要素保障和招商政策，"
                    f"{'达成初步合作意向' if index % 3 == 0 else '互留联系方式，约定回访'}。",
                )
            )
        for city, name, month_day in STUDY_TOURS:
            held = self.day(month_day)
            services.event_save(
                actor=None,
                name=name,
                held_on=held,
                city=city,
                form=EventForm.STUDY_TOUR,
                participants=[self.leaders[0], self.leaders[1], *self.advisors[:2]],
                other_participants="高新区党工委、管委会领导，招商服务中心负责人",
                note="学习先进园区的产业链招商、基金招商和专业化运营经验。",
            )
        services.event_save(
            actor=None,
            name="商洛高新区“3+N”产业集群招商推介会",
            held_on=self.day((6, 26)),
            city="西安",
            form=EventForm.PROMOTION,
            participants=[*self.leaders, *[a for a in self.ambassadors if a.in_post(self.day((6, 26)))]],
            other_participants="市、区有关部门负责人，在西安的商洛籍企业家代表",
            met="陕西商洛商会西安分会\n西安新材料企业家协会\n西北有色金属研究院",
            note="推介新材料、生物医药、新能源三大主导产业和绿色食品、电子信息、现代服务业，现场签约意向项目。",
        )

    # -- projects -------------------------------------------------------------------------------
    def source(self, day, industry):
        """The last 招商对接 of `industry` before `day` (else the last before it at all)."""
        earlier = [e for e in self.matchmaking if e.held_on < day]
        of_industry = [e for e in earlier if industry in e.name]
        return (of_industry or earlier or [None])[-1]

    def lead(self, name, investor, cluster, recorded, planned=None, content=""):
        team_index = TEAM_CLUSTER.index(cluster)
        event = self.source(recorded, cluster)
        return services.project_save(
            actor=None,
            name=name,
            investor=investor,
            cluster=self.clusters[cluster],
            planned_investment=Decimal(planned) if planned else None,
            content=content or f"{cluster}产业项目，拟在高新区选址建设。",
            recorded_on=recorded,
            source_event=event,
            source_person=self.ambassadors[team_index % len(self.ambassadors)],
            team=self.teams[team_index],
            follower=self.members[team_index][0],
        )

    def follow(self, project, on, content, way="上门"):
        services.follow_up_add(actor=None, project=project, on=on, content=content, way=way)

    def move(self, project, stage, on, **extra):
        services.project_advance(actor=None, project=project, stage=stage, on=on, **extra)

    def projects(self):
        days = datetime.timedelta
        for name, investor, cluster, planned, amount, signed, started, producing, tranches in SIGNED:
            signed_on = self.day(signed)
            project = self.lead(name, investor, cluster, signed_on - days(50), planned)
            self.follow(project, signed_on - days(42), "投资方来园区实地考察选址", way="来访")
            self.move(project, Stage.NEGOTIATING, signed_on - days(30), note="就用地、厂房和配套政策开展洽谈")
            self.follow(project, signed_on - days(12), "协议文本经双方法务审核", way="线上")
            self.move(project, Stage.SIGNED, signed_on, signed_amount=Decimal(amount), note="签订投资协议")
            for month, day, value in tranches:
                services.tranche_add(
                    actor=None,
                    project=project,
                    received_on=D(self.year, month, day),
                    amount=Decimal(value),
                    evidence_note="银行进账回单",
                )
            if started:
                self.move(project, Stage.STARTED, self.day(started), note="举行开工仪式")
            if producing:
                self.move(project, Stage.PRODUCING, self.day(producing), note="首条生产线投产")
            if name == CARRIED:
                services.project_carry(actor=None, project=project)
        # signed and then terminated: not counted among the year's signings
        name, investor, cluster, signed, terminated = SIGNED_THEN_TERMINATED
        project = self.lead(name, investor, cluster, self.day(signed) - days(40), 12000)
        self.move(project, Stage.NEGOTIATING, self.day(signed) - days(20))
        self.move(project, Stage.SIGNED, self.day(signed), signed_amount=Decimal(10000))
        services.project_terminate(
            actor=None, project=project, on=self.day(terminated), reason=TERMINATED_REASON
        )
        # a lead terminated in 洽谈
        project = self.lead(
            "数据中心配套储能电站项目", "北京储能科技集团有限公司", "新能源", self.day((4, 2)), 18000
        )
        self.move(project, Stage.NEGOTIATING, self.day((5, 6)))
        self.follow(project, self.day((6, 12)), "投资方要求的电价优惠超出政策范围", way="电话")
        services.project_terminate(
            actor=None, project=project, on=self.day((7, 20)), reason="投资方战略调整，暂缓在西北地区布局"
        )
        # open leads and projects in 洽谈, followed up recently (no warning)
        recent = self.today - days(12)
        for name, investor, cluster, recorded, stage in (
            ("生物医药中试基地项目", "上海博瑞原料药股份有限公司", "生物医药", (10, 14), Stage.NEGOTIATING),
            ("钒电池储能材料项目", "武汉新能源产业投资基金", "新能源", (11, 3), Stage.NEGOTIATING),
            ("富硒饮用水灌装项目", "成都山泉饮品集团有限公司", "绿色食品", (12, 2), Stage.LEAD),
        ):
            project = self.lead(name, investor, cluster, self.day(recorded))
            if stage == Stage.NEGOTIATING:
                self.move(project, Stage.NEGOTIATING, self.day(recorded) + days(20))
            self.follow(
                project,
                max(recent, self.day(recorded) + days(21)),
                "电话沟通项目进展，投资方拟近期来园区考察",
                way="电话",
            )
        # a lead left without a follow-up for more than 30 days (the follow-up warning)
        stale_on = self.today - days(45)
        project = self.lead(STALE_LEAD, "重庆通达供应链管理有限公司", "现代服务业", stale_on - days(30))
        self.follow(project, stale_on, "投资方表示需内部评估后再答复", way="电话")

    # -- this year ------------------------------------------------------------------------------
    def this_year(self):
        year = self.today.year
        for city, industry, month_day in (
            ("西安", "新材料", (1, 16)),
            ("深圳", "电子信息", (3, 12)),
            ("北京", "新能源", (5, 20)),
        ):
            held = self.day(month_day, year)
            if held > self.today:
                continue
            team_index = INDUSTRY_TEAM[industry]
            services.event_save(
                actor=None,
                name=f"{year}年{city}{industry}产业招商对接会",
                held_on=held,
                city=city,
                form=EventForm.MATCHMAKING,
                team=self.teams[team_index],
                participants=self.crew(team_index, held),
                met="\n".join(f"{city}{company}" for company in MET[industry][:2]),
                note="回访上年意向企业，推介园区新建标准化厂房。",
            )
        # 20 days ago, and in this year whatever the day
        signed_on = max(self.today - datetime.timedelta(days=20), D(year, 1, 1))
        project = self.lead(
            "新能源汽车线束生产项目",
            "苏州精密元器件股份有限公司",
            "电子信息",
            signed_on - datetime.timedelta(days=40),
            12000,
        )
        self.move(project, Stage.NEGOTIATING, signed_on - datetime.timedelta(days=25))
        self.move(project, Stage.SIGNED, signed_on, signed_amount=Decimal(11000), note="签订投资协议")
        services.tranche_add(
            actor=None,
            project=project,
            received_on=signed_on,
            amount=Decimal(1500),
            evidence_note="银行进账回单",
        )

    def targets(self):
        for year, events, signings, funds, note in (
            (self.year, 30, 6, 80000, "党工委年度工作要点"),
            (self.today.year, 36, 8, 100000, "党工委年度工作要点"),
        ):
            config_save(
                actor=None,
                instance=AnnualTarget(
                    year=year, events=events, signings=signings, funds=Decimal(funds), note=note
                ),
            )


# after the cadres (the teams' leaders) and the key projects (a signed project is carried there)
@demo_loader(order=85, logins=[(9, LOGIN, "招商人员（第一小分队）：本小分队的招商活动和招商项目")])
def load_investment(demo):
    InvestmentLoader(demo).load()
