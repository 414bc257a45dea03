"""Scale benchmark: scoped lists and figures at province-like size.

Builds a synthetic tree (root → cities → counties → branches → party groups) with members,
their stays (Membership) and posts, enterprises and their requests, investment, talent, and for
2025 the meetings (三会一课 and the rest, with gaps), development cases, dues assessed and paid,
problems and star ratings, straight into a database by bulk insert. Then it prints every
registered figure for a county, a city and the province beside its minimal hand-written SQL
(both answers, both timings, the ratio), the whole set's time for a city and the province, the
member list's page 1 (50 rows and the count) and the `/api/v1/members/` page's throughput beside
the raw SQL page, and the plans of the slowest.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangjian_bench \\
        .venv/bin/python bench/scale.py --cities 10 --counties 10 --branches 40 --members 25

creates the database if it is missing (PostgreSQL), loads data once (reuses it when the sizes
match) and prints the figures. Without DATABASE_URL it runs on a throw-away SQLite file.
Timings are printed, never asserted: compare runs, look at the plans.
"""

import argparse
import datetime
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# the API's throughput is measured over one kept connection, as the production configuration's
# pool serves requests (with 0, every request would open a new connection)
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "600")


def ensure_database(url):
    if not url.startswith("postgres"):
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    base = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(base, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def step(n):
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            break
    return out.rjust(4, "0")


def load(args):
    from django.db import connection, transaction

    from dangjian.enterprises.models import IndustryCluster  # noqa: F401
    from dangjian.members.models import Member, Membership
    from dangjian.organizations.models import OrgKind, PartyOrganization, Post, PostKind

    rng = random.Random(7)
    marker = f"bench-{args.cities}-{args.counties}-{args.branches}-{args.members}"
    if PartyOrganization.objects.filter(depth=1, note=marker).exists():
        print("复用已有的基准数据", marker)
        return
    print("生成基准数据", marker, "……")
    with connection.cursor() as cursor:
        for table in (
            # the investment rows name organizations (and grants): gone before them
            "investment_fundtranche",
            "investment_followup",
            "investment_projectevent",
            "investment_investmentproject_possible_duplicates",
            "investment_investmentproject",
            "investment_investmentevent_participants",
            "investment_eventphoto",
            "investment_investmentevent",
            "investment_investmentperson",
            "investment_team",
            "accounts_grant",
            "members_membership",
            "members_member",
            "organizations_post",
            "organizations_partyorganization",
        ):
            if connection.vendor == "postgresql":
                # quick at province size, and with what names the rows (dues, meetings, ...)
                cursor.execute(f"TRUNCATE {table} CASCADE")
            else:
                cursor.execute(f"DELETE FROM {table}")
    started = time.perf_counter()
    orgs, posts = [], []

    def org(path, depth, kind, name):
        orgs.append(
            PartyOrganization(
                path=path,
                depth=depth,
                numchild=0,
                kind=kind,
                name=name,
                note="",
                standardized=rng.random() < 0.8,
                founded_on=datetime.date(2010, 1, 1),
            )
        )

    root = step(1)
    org(root, 1, OrgKind.WORKING_COMMITTEE, "省直基准党工委")
    orgs[0].note = marker
    branches = []
    for c in range(1, args.cities + 1):
        city = root + step(c)
        org(city, 2, OrgKind.COMMITTEE, f"市{c}党委")
        for k in range(1, args.counties + 1):
            county = city + step(k)
            org(county, 3, OrgKind.COMMITTEE, f"市{c}县{k}党委")
            for b in range(1, args.branches + 1):
                branch = county + step(b)
                org(branch, 4, OrgKind.BRANCH, f"市{c}县{k}支部{b}")
                org(branch + step(1), 5, OrgKind.PARTY_GROUP, f"市{c}县{k}支部{b}小组")
                branches.append(branch)
    with transaction.atomic():
        PartyOrganization.objects.bulk_create(orgs, batch_size=5000)
    ids = dict(PartyOrganization.objects.values_list("path", "id"))
    for path in branches[::3]:
        posts.append(
            Post(name=f"示范岗{path}", kind=PostKind.MODEL_POST, organization_id=ids[path], org_path=path)
        )
    Post.objects.bulk_create(posts, batch_size=5000)
    if connection.vendor == "postgresql":
        seq = members_by_sql(args)
        print(
            f"  {len(orgs)} 个组织，{seq} 名党员，{len(posts)} 个岗区，用时 {time.perf_counter() - started:.1f} 秒"
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return
    seq = 0
    members, stays = [], []
    for path in branches:
        for _ in range(args.members):
            seq += 1
            joined = datetime.date(rng.randint(1980, 2024), rng.randint(1, 12), rng.randint(1, 28))
            members.append(
                Member(
                    name=f"党员{seq}",
                    id_number=f"x{seq}",
                    id_number_hash=f"{seq:064d}",
                    category="full",
                    joined_on=joined,
                    organization_id=ids[path],
                    org_path=path,
                    status="normal",
                )
            )
        if len(members) >= 20000:
            flush(members, stays, Member, Membership)
    flush(members, stays, Member, Membership)
    print(
        f"  {len(orgs)} 个组织，{seq} 名党员，{len(posts)} 个岗区，用时 {time.perf_counter() - started:.1f} 秒"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")


def load_requests(args):
    """One enterprise per branch, each with `--requests` requests spread over 2024–2026 in every
    state, some late and some left overdue."""
    from django.db import connection, transaction

    from dangjian.audit.bulk import bulk_insert
    from dangjian.enterprises.models import Enterprise, IndustryCluster
    from dangjian.organizations.models import OrgKind, PartyOrganization
    from dangjian.servicedesk.models import RequestCategory, RequestKind, RequestStatus, ServiceRequest

    branches = list(PartyOrganization.objects.filter(kind=OrgKind.BRANCH).values_list("path", flat=True))
    expected = len(branches) * args.requests
    if (
        ServiceRequest.objects.count() == expected
        and ServiceRequest.objects.filter(number="BV2-000000001").exists()
    ):
        print("复用已有的诉求数据", expected)
        return
    print(f"生成企业与诉求数据（{expected} 件）……")
    started = time.perf_counter()
    rng = random.Random(11)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {ServiceRequest._meta.db_table} CASCADE")
    ServiceRequest.objects.all().delete()
    clear_talent()  # its rows name the enterprises
    Enterprise.objects.filter(name__startswith="基准企业").delete()
    cluster = IndustryCluster.objects.order_by("pk").first()
    categories = list(RequestCategory.objects.values_list("pk", flat=True))
    enterprises = Enterprise.objects.bulk_create(
        [
            Enterprise(name=f"基准企业{i}", credit_code=f"B{i:017d}", cluster=cluster, org_path=path)
            for i, path in enumerate(branches)
        ],
        batch_size=5000,
    )
    S, kinds = RequestStatus, list(RequestKind.values)
    states = [
        S.SUBMITTED,
        S.ACCEPTED,
        S.IN_PROGRESS,
        S.CLOSED,
        S.RATED,
        S.RATED,
        S.RATED,
        S.RETURNED,
        S.SUSPENDED,
    ]
    day = datetime.timedelta(days=1)
    batch, seq = [], 0
    for enterprise in enterprises:
        for _ in range(args.requests):
            seq += 1
            submitted = datetime.date(2024, 1, 1) + day * rng.randint(0, 1000)
            # requests more than two months old are nearly all closed, as on a working desk
            old = submitted < datetime.date(2026, 4, 30)
            status = (
                rng.choice((S.CLOSED, S.RATED, S.RATED))
                if old and rng.random() < 0.97
                else rng.choice(states)
            )
            accepted = submitted + day * rng.randint(0, 3) if status != S.SUBMITTED else None
            closed = accepted + day * rng.randint(1, 30) if status in (S.CLOSED, S.RATED) else None
            batch.append(
                ServiceRequest(
                    number=f"BV2-{seq:09d}",
                    enterprise_id=enterprise.pk,
                    org_path=enterprise.org_path,
                    kind=rng.choice(kinds),
                    title="基准诉求",
                    category_id=rng.choice(categories),
                    status=status,
                    submitted_on=submitted,
                    accepted_on=accepted,
                    closed_on=closed,
                    accept_due=submitted + day * 2,
                    close_due=(accepted + day * 21) if accepted else None,
                    accepted_late=bool(accepted and accepted > submitted + day * 2),
                    closed_late=bool(closed and closed > accepted + day * 21),
                    rating=rng.randint(1, 5) if status == S.RATED else None,
                )
            )
        if len(batch) >= 20000:
            with transaction.atomic():
                bulk_insert(ServiceRequest, batch, batch_size=5000)
            batch.clear()
    with transaction.atomic():
        bulk_insert(ServiceRequest, batch, batch_size=5000)
    print(f"  {len(enterprises)} 家企业，{seq} 件诉求，用时 {time.perf_counter() - started:.1f} 秒")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def load_investment(args):
    """招商引资 at `--projects` projects per county (a third of them signed, each with three
    tranches, a few terminated), and eight 招商人员 per county with dated appointments, some gone."""
    from django.db import connection, transaction

    from dangjian.investment.models import (
        FundTranche,
        InvestmentPerson,
        InvestmentProject,
        PersonRole,
        Stage,
    )
    from dangjian.organizations.models import PartyOrganization

    counties = list(PartyOrganization.objects.filter(depth=3).order_by("path").values_list("id", "path"))
    expected = len(counties) * args.projects
    if (
        InvestmentProject.objects.count() == expected
        and InvestmentProject.objects.filter(name="基准招商项目0000001").exists()
    ):
        print("复用已有的招商数据", expected)
        return
    print(f"生成招商数据（{expected} 个项目）……")
    started = time.perf_counter()
    rng = random.Random(13)
    FundTranche.objects.all().delete()
    InvestmentProject.objects.all().delete()
    InvestmentPerson.objects.all().delete()
    day = datetime.timedelta(days=1)
    roles = [PersonRole.AMBASSADOR, PersonRole.ADVISOR]
    people, projects, seq = [], [], 0
    for org_id, path in counties:
        for n in range(8):
            appointed = datetime.date(2023, 1, 1) + day * rng.randint(0, 1000)
            left = appointed + day * rng.randint(30, 600) if rng.random() < 0.2 else None
            people.append(
                InvestmentPerson(
                    name=f"基准招商人员{path}{n}",
                    role=roles[n % 2],
                    appointed_on=appointed,
                    left_on=left,
                    left_reason="离任" if left else "",
                    organization_id=org_id,
                    org_path=path,
                )
            )
        for _ in range(args.projects):
            seq += 1
            recorded = datetime.date(2024, 1, 1) + day * rng.randint(0, 900)
            signed = recorded + day * rng.randint(20, 200) if rng.random() < 0.34 else None
            stage = Stage.SIGNED if signed else rng.choice([Stage.LEAD, Stage.NEGOTIATING])
            if signed and rng.random() < 0.1:
                stage = Stage.TERMINATED
            name = f"基准招商项目{seq:07d}"
            projects.append(
                InvestmentProject(
                    name=name,
                    name_key=name,
                    stage=stage,
                    recorded_on=recorded,
                    signed_on=signed,
                    signed_amount=rng.randint(1000, 50000) if signed else None,
                    last_activity_on=signed or recorded,
                    organization_id=org_id,
                    org_path=path,
                )
            )
    with transaction.atomic():
        InvestmentPerson.objects.bulk_create(people, batch_size=5000)
        created = InvestmentProject.objects.bulk_create(projects, batch_size=5000)
        tranches = [
            FundTranche(
                project_id=p.pk, received_on=p.signed_on + day * (k * 60), amount=rng.randint(100, 5000)
            )
            for p in created
            if p.signed_on
            for k in range(3)
        ]
        FundTranche.objects.bulk_create(tranches, batch_size=5000)
    print(
        f"  {len(people)} 名招商人员，{seq} 个招商项目，{len(tranches)} 笔到位资金，"
        f"用时 {time.perf_counter() - started:.1f} 秒"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


TALENT_TABLES = (
    "talent_cooperationuniversity",
    "talent_innovation",
    "talent_incubation",
    "talent_platform",
    "talent_policysupport",
    "talent_talentpolicy",
    "talent_expert",
    "talent_talent",
)
UNIVERSITIES = [f"基准大学{n:02d}" for n in range(1, 61)]


def clear_talent():
    from django.db import connection

    with connection.cursor() as cursor:
        for table in TALENT_TABLES:
            cursor.execute(f"DELETE FROM {table}")


def load_talent(args):
    """人才与创新 at `--talents` talents per enterprise (one enterprise per branch; intakes over
    2023–2026, a fifth of them left again, a third paid under a policy) and `--innovations`
    innovations per enterprise (mostly patents, then key projects, achievements of every level
    and 校地合作 with one to three of 60 universities), a platform for every eighth enterprise (a
    few withdrawn) and a few talents and innovations waiting for the zone."""
    from django.db import connection, transaction

    from dangjian.audit.bulk import bulk_insert
    from dangjian.enterprises.models import Enterprise
    from dangjian.talent.models import (
        CooperationUniversity,
        Innovation,
        InnovationKind,
        InnovationLevel,
        PatentKind,
        Platform,
        PlatformKind,
        PlatformLevel,
        PolicySupport,
        Review,
        Talent,
        TalentCategory,
        TalentPolicy,
    )

    enterprises = list(
        Enterprise.objects.filter(name__startswith="基准企业").order_by("pk").values_list("pk", "name")
    )
    expected = len(enterprises) * args.talents
    if Talent.objects.count() == expected and Talent.objects.filter(name="基准人才0000001").exists():
        print("复用已有的人才与创新数据", expected)
        return
    print(f"生成人才与创新数据（{expected} 名人才）……")
    started = time.perf_counter()
    rng = random.Random(17)
    clear_talent()
    day = datetime.timedelta(days=1)
    categories, levels = list(TalentCategory.values), list(InnovationLevel.values)
    kinds = [InnovationKind.PATENT] * 6 + [InnovationKind.KEY_PROJECT] * 2
    kinds += [InnovationKind.ACHIEVEMENT, InnovationKind.COOPERATION]
    talents, platforms, innovations, seq = [], [], [], 0
    for index, (enterprise_id, name) in enumerate(enterprises):
        for _ in range(args.talents):
            seq += 1
            intake = datetime.date(2023, 1, 1) + day * rng.randint(0, 1300)
            left = intake + day * rng.randint(30, 500) if rng.random() < 0.2 else None
            talents.append(
                Talent(
                    name=f"基准人才{seq:07d}",
                    category=rng.choice(categories),
                    enterprise_id=enterprise_id,
                    employer=name,
                    intake_on=intake,
                    exit_on=left,
                    exit_reason="离职" if left else "",
                    review=Review.PENDING if rng.random() < 0.01 else Review.CONFIRMED,
                )
            )
        if index % 8 == 0:
            recognised = datetime.date(2016, 1, 1) + day * rng.randint(0, 3800)
            withdrawn = recognised + day * rng.randint(200, 900) if rng.random() < 0.05 else None
            platforms.append(
                Platform(
                    name=f"基准创新平台{index:07d}",
                    kind=rng.choice(
                        [PlatformKind.RESEARCH] * 4 + [PlatformKind.INCUBATOR, PlatformKind.MAKERSPACE]
                    ),
                    level=rng.choice(
                        [PlatformLevel.MUNICIPAL] * 3 + [PlatformLevel.PROVINCIAL, PlatformLevel.NATIONAL]
                    ),
                    host=name,
                    enterprise_id=enterprise_id,
                    recognised_on=recognised,
                    withdrawn_on=withdrawn,
                    withdrawn_reason="撤销认定" if withdrawn else "",
                )
            )
        for n in range(args.innovations):
            kind = rng.choice(kinds)
            innovations.append(
                Innovation(
                    name=f"基准科技创新{index:07d}-{n}",
                    kind=kind,
                    level=rng.choice(levels)
                    if kind in (InnovationKind.KEY_PROJECT, InnovationKind.ACHIEVEMENT)
                    else "",
                    enterprise_id=enterprise_id,
                    dated_on=datetime.date(2020, 1, 1) + day * rng.randint(0, 2400),
                    patent_kind=rng.choice(PatentKind.values) if kind == InnovationKind.PATENT else "",
                    holder=name if kind == InnovationKind.PATENT else "",
                    review=Review.PENDING if rng.random() < 0.01 else Review.CONFIRMED,
                )
            )
    with transaction.atomic():
        created = bulk_insert(Talent, talents, batch_size=5000)
        Platform.objects.bulk_create(platforms, batch_size=5000)
        made = Innovation.objects.bulk_create(innovations, batch_size=5000)
        universities = [
            CooperationUniversity(innovation_id=i.pk, name=university)
            for i in made
            if i.kind == InnovationKind.COOPERATION
            for university in rng.sample(UNIVERSITIES, rng.randint(1, 3))
        ]
        CooperationUniversity.objects.bulk_create(universities, batch_size=5000)
        policy = TalentPolicy.objects.create(name="基准人才政策")
        supports = [
            PolicySupport(
                talent_id=t.pk,
                policy=policy,
                paid_on=t.intake_on + day * rng.randint(10, 200),
                amount=rng.randint(1, 200) * 1000,
            )
            for t in created
            if rng.random() < 0.33
        ]
        PolicySupport.objects.bulk_create(supports, batch_size=5000)
    print(
        f"  {len(talents)} 名人才，{len(supports)} 笔政策兑现，{len(platforms)} 个创新平台，{len(innovations)} 项科技创新，"
        f"{len(universities)} 条合作高校，用时 {time.perf_counter() - started:.1f} 秒"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def load_life(args):
    """组织生活 and the records the other figures count, for 2025: half the branches with a
    committee, a few founded or dissolved during the year, non-public units; `--meetings` meetings
    per branch a month (支委会 where there is a committee, 主题党日, then 支部党员大会, 党课 or a work
    conference by the month in the quarter, with gaps) and a 党小组会 a month for each group; a
    development case per branch and a half, the dues assessed and (mostly) paid by every member each
    month, two problems per enterprise and a star rating for each branch."""
    from django.db import connection, transaction

    from dangjian.core.rules import rules_for
    from dangjian.enterprises.models import Enterprise
    from dangjian.members.models import DevelopmentCase, DevelopmentStage, DuesAssessment, DuesPayment, Member
    from dangjian.members.rules import DUES
    from dangjian.organizations.models import OrgKind, PartyOrganization, UnitNature
    from dangjian.partylife.models import Meeting, MeetingKind
    from dangjian.projects.models import Problem, ProblemCategory, ProblemSource, ProblemStatus
    from dangjian.ratings.models import StarRating

    branches = list(
        PartyOrganization.objects.filter(kind=OrgKind.BRANCH).order_by("path").values_list("id", "path")
    )
    groups = list(
        PartyOrganization.objects.filter(kind=OrgKind.PARTY_GROUP).order_by("path").values_list("id", "path")
    )
    expected = len(branches) * 12 * args.meetings
    marker = f"基准会议{args.meetings}-"
    if Meeting.objects.filter(theme__startswith=marker).count() >= expected * 0.5 and (
        Meeting.objects.filter(theme=f"{marker}0000001").exists()
    ):
        print("复用已有的组织生活、发展党员、党费、问题与评星数据")
        return
    print("生成组织生活、发展党员、党费、问题与评星数据……")
    started = time.perf_counter()
    rng = random.Random(17)
    D = datetime.date
    for model in (Meeting, DevelopmentCase, DuesPayment, DuesAssessment, StarRating):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {model._meta.db_table} CASCADE")
        else:
            model.objects.all().delete()
    Problem.objects.filter(description__startswith="基准问题").delete()
    ids = [pk for pk, _ in branches]
    PartyOrganization.objects.filter(pk__in=ids[::2]).update(has_committee=True)
    PartyOrganization.objects.filter(pk__in=ids[::3]).update(unit_nature=UnitNature.NON_PUBLIC)
    # a few organizations founded or dissolved during the year (with their party groups)
    founded = {pk: D(2025, 5, 10) for pk in ids[7::50]}
    dissolved = {pk: D(2025, 9, 20) for pk in ids[11::50]}
    group_of = {path[:-4]: pk for pk, path in groups}
    path_of = dict(branches)
    for pk, day in founded.items():
        PartyOrganization.objects.filter(pk__in=[pk, group_of.get(path_of[pk])]).update(founded_on=day)
    for pk, day in dissolved.items():
        PartyOrganization.objects.filter(pk__in=[pk, group_of.get(path_of[pk])]).update(dissolved_on=day)
    committee = set(ids[::2])
    seq, batch = 0, []

    def meeting(org_id, path, kind, day):
        nonlocal seq
        seq += 1
        batch.append(
            Meeting(organization_id=org_id, org_path=path, kind=kind, held_on=day, theme=f"{marker}{seq:07d}")
        )

    third = [MeetingKind.BRANCH_GENERAL, MeetingKind.LECTURE, MeetingKind.WORK_CONFERENCE]
    for org_id, path in branches if connection.vendor != "postgresql" else ():
        for month in range(1, 13):
            kinds = [MeetingKind.COMMITTEE if org_id in committee else MeetingKind.FIRST_TOPIC]
            kinds += [MeetingKind.THEME_DAY, third[(month - 1) % 3]][: max(args.meetings - 1, 0)]
            for kind in kinds:
                if rng.random() < 0.9:
                    meeting(org_id, path, kind, D(2025, month, rng.randint(1, 28)))
        if len(batch) >= 20000:
            Meeting.objects.bulk_create(batch, batch_size=5000)
            batch.clear()
    for org_id, path in groups if connection.vendor != "postgresql" else ():
        for month in range(1, 13):
            if rng.random() < 0.85:
                meeting(org_id, path, MeetingKind.GROUP, D(2025, month, rng.randint(1, 28)))
    Meeting.objects.bulk_create(batch, batch_size=5000)
    if connection.vendor == "postgresql":
        seq = meetings_by_sql(args, marker)
    cases = []
    for n, (org_id, path) in enumerate(branches * 3):
        if n % 2:
            continue
        applied = D(2023, 1, 1) + datetime.timedelta(days=rng.randint(0, 900))
        admitted = applied + datetime.timedelta(days=rng.randint(200, 500)) if rng.random() < 0.5 else None
        cases.append(
            DevelopmentCase(
                name=f"基准发展对象{n}",
                id_number=f"d{n}",
                id_number_hash=f"d{n:063d}",
                organization_id=org_id,
                org_path=path,
                stage=DevelopmentStage.PROBATIONARY if admitted else DevelopmentStage.ACTIVIST,
                applied_on=applied,
                admitted_on=admitted,
            )
        )
    DevelopmentCase.objects.bulk_create(cases, batch_size=5000)
    rule = rules_for(DUES, D(2025, 1, 1))
    assessments, payments = [], []
    members = Member.objects.order_by("pk").values_list("pk", "organization_id", "org_path")
    if connection.vendor == "postgresql":
        dues_by_sql(rule)
        members = members.none()
    for member_id, org_id, path in members.iterator(chunk_size=5000):
        for month in range(1, 13):
            first = D(2025, month, 1)
            common = dict(member_id=member_id, organization_id=org_id, org_path=path, month=first)
            assessments.append(
                DuesAssessment(category="employed", payable=Decimal("20.00"), rule=rule, **common)
            )
            if rng.random() < 0.9:
                amount = Decimal("20.00") if rng.random() < 0.9 else Decimal("10.00")
                payments.append(
                    DuesPayment(amount=amount, paid_on=first + datetime.timedelta(days=5), **common)
                )
        if len(assessments) >= 20000:
            with transaction.atomic():
                DuesAssessment.objects.bulk_create(assessments, batch_size=5000)
                DuesPayment.objects.bulk_create(payments, batch_size=5000)
            assessments.clear()
            payments.clear()
    with transaction.atomic():
        DuesAssessment.objects.bulk_create(assessments, batch_size=5000)
        DuesPayment.objects.bulk_create(payments, batch_size=5000)
    problems, n = [], 0
    sources = [ProblemSource.VISIT, ProblemSource.FINANCE_MEETING, ProblemSource.REQUEST, ProblemSource.OTHER]
    for enterprise_id, path in Enterprise.objects.filter(name__startswith="基准企业").values_list(
        "pk", "org_path"
    ):
        for _ in range(2):
            n += 1
            raised = D(2024, 6, 1) + datetime.timedelta(days=rng.randint(0, 600))
            solved = rng.random() < 0.6
            problems.append(
                Problem(
                    enterprise_id=enterprise_id,
                    org_path=path,
                    source=rng.choice(sources),
                    category=rng.choice(ProblemCategory.values),
                    description=f"基准问题{n}",
                    raised_on=raised,
                    status=ProblemStatus.SOLVED if solved else ProblemStatus.IN_PROGRESS,
                    closed_on=raised + datetime.timedelta(days=rng.randint(5, 90)) if solved else None,
                )
            )
    Problem.objects.bulk_create(problems, batch_size=5000)
    StarRating.objects.bulk_create(
        [
            StarRating(organization_id=org_id, org_path=path, year=2025, stars=rng.randint(1, 5))
            for org_id, path in branches
        ],
        batch_size=5000,
    )
    print(
        f"  {seq} 次会议，{len(cases)} 名发展对象，{DuesAssessment.objects.count()} 条党费应缴、"
        f"{DuesPayment.objects.count()} 笔党费交纳，"
        f"{len(problems)} 个问题，{len(branches)} 条评星结果，用时 {time.perf_counter() - started:.1f} 秒"
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def members_by_sql(args) -> int:
    """`--members` members in every branch and their stays, made by PostgreSQL itself (INSERT …
    SELECT over generate_series): two million rows in a minute or two, where building them in Python
    takes most of an hour. Every member's ID number is the same ciphertext, encrypted once: nothing
    measured decrypts more than a page of them."""
    from django.db import connection

    from dangjian.members.models import Member, Membership
    from dangjian.organizations.models import OrgKind

    def prep(name, value):
        return Member._meta.get_field(name).get_db_prep_save(value, connection)

    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.7)")
        cursor.execute(
            """
            INSERT INTO members_member (org_path, name, sex, ethnicity, id_number, id_number_hash,
                education, category, joined_on, joined_month_only, regularized_month_only,
                probation_extended, organization_id, position, phone, phone_hash, status, is_mobile,
                leave_reason, created_at, updated_at)
            SELECT path, '党员' || seq, '', '', %(id_number)s, lpad(seq::text, 64, '0'), '', 'full',
                make_date(1980 + floor(random() * 45)::int, 1 + floor(random() * 12)::int,
                          1 + floor(random() * 28)::int),
                false, false, false, id, '', %(phone)s, '', 'normal', false, '', now(), now()
            FROM (
                SELECT o.path, o.id, row_number() OVER (ORDER BY o.path, g) AS seq
                FROM organizations_partyorganization o CROSS JOIN generate_series(1, %(members)s) g
                WHERE o.kind = %(branch)s
            ) s
            ORDER BY seq
            """,
            {
                "id_number": prep("id_number", "x-bench"),
                "phone": prep("phone", ""),
                "members": args.members,
                "branch": OrgKind.BRANCH,
            },
        )
        count = cursor.rowcount
        cursor.execute(
            """
            INSERT INTO members_membership (organization_id, org_path, member_id, valid_from,
                start_known, reason, note)
            SELECT organization_id, org_path, id, joined_on, false, %s, '' FROM members_member
            """,
            [Membership.Reason.INITIAL],
        )
    return count


def meetings_by_sql(args, marker):
    """The meetings of `load_life`, made by PostgreSQL: for every branch each month its first
    meeting (支委会 where it has a committee, else 第一议题学习), then 主题党日 and the quarter's third
    (支部党员大会, 党课, 党建工作会议) as `--meetings` allows, each held with chance 0.9; a 党小组会 a
    month for every group with chance 0.85."""
    from django.db import connection

    from dangjian.organizations.models import OrgKind
    from dangjian.partylife.models import Meeting, MeetingKind

    K = MeetingKind
    vote = Meeting._meta.get_field("vote_kind").get_default()
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.17)")
        cursor.execute(
            """
            INSERT INTO partylife_meeting (org_path, organization_id, kind, held_on, theme, host,
                lecturer, lecturer_role, attendance_recorded, minutes, vote_kind, resolution,
                resolution_invalid_reason, created_at, updated_at)
            SELECT path, id, kind, held_on,
                %(marker)s || lpad((row_number() OVER (ORDER BY path, held_on, kind))::text, 7, '0'),
                '', '', '', false, '', %(vote)s, '', '', now(), now()
            FROM (
                SELECT o.path, o.id, k.kind, make_date(2025, m, 1 + floor(random() * 28)::int) AS held_on
                FROM organizations_partyorganization o
                CROSS JOIN generate_series(1, 12) m
                CROSS JOIN LATERAL (VALUES
                    (1, CASE WHEN o.has_committee THEN %(committee)s ELSE %(first)s END),
                    (2, %(theme_day)s),
                    (3, CASE (m - 1) %% 3 WHEN 0 THEN %(general)s WHEN 1 THEN %(lecture)s
                        ELSE %(conference)s END)
                ) AS k(n, kind)
                WHERE o.kind = %(branch)s AND k.n <= %(kinds)s AND random() < 0.9
                UNION ALL
                SELECT o.path, o.id, %(group)s, make_date(2025, m, 1 + floor(random() * 28)::int)
                FROM organizations_partyorganization o CROSS JOIN generate_series(1, 12) m
                WHERE o.kind = %(party_group)s AND random() < 0.85
            ) s
            """,
            {
                "marker": marker,
                "vote": vote,
                "committee": K.COMMITTEE,
                "first": K.FIRST_TOPIC,
                "theme_day": K.THEME_DAY,
                "general": K.BRANCH_GENERAL,
                "lecture": K.LECTURE,
                "conference": K.WORK_CONFERENCE,
                "group": K.GROUP,
                "branch": OrgKind.BRANCH,
                "party_group": OrgKind.PARTY_GROUP,
                "kinds": 1 + min(max(args.meetings - 1, 0), 2),
            },
        )
        return cursor.rowcount


def dues_by_sql(rule):
    """Every member's dues for 2025 made by PostgreSQL: 20 元 assessed each month, paid on the 6th
    with chance 0.9 (in full with chance 0.9, else half)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.19)")
        cursor.execute(
            """
            INSERT INTO members_duesassessment (organization_id, org_path, member_id, month, category,
                payable, rule_id, created_at)
            SELECT organization_id, org_path, id, make_date(2025, m, 1), 'employed', 20.00, %s, now()
            FROM members_member CROSS JOIN generate_series(1, 12) m
            """,
            [rule.pk],
        )
        cursor.execute(
            """
            INSERT INTO members_duespayment (organization_id, org_path, member_id, month, amount,
                paid_on, voluntary, note, created_at)
            SELECT organization_id, org_path, id, make_date(2025, m, 1),
                CASE WHEN random() < 0.9 THEN 20.00 ELSE 10.00 END, make_date(2025, m, 6), false, '',
                now()
            FROM members_member CROSS JOIN generate_series(1, 12) m
            WHERE random() < 0.9
            """
        )


def flush(members, stays, Member, Membership):
    from django.db import transaction

    with transaction.atomic():
        created = Member.objects.bulk_create(members, batch_size=5000)
        Membership.objects.bulk_create(
            [
                Membership(
                    member_id=m.pk,
                    organization_id=m.organization_id,
                    org_path=m.org_path,
                    valid_from=m.joined_on,
                )
                for m in created
            ],
            batch_size=5000,
        )
    members.clear()
    stays.clear()


def best_of(func, repeat=5, *, warm=True, budget=2.0):
    """The best of `repeat` timed runs (after a warm-up unless the caller has run `func` already),
    fewer once they have taken `budget` seconds: a province's slowest figures are timed once."""
    if warm:
        func()
    times = [_once(func)]
    while len(times) < repeat and sum(times) < budget:
        times.append(_once(func))
    return min(times)


def against_sql(label, func, sql, params, repeat=5):
    """A figure as the product computes it beside the minimal raw SQL for the same answer: both
    answers (they must agree), both timings and their ratio."""
    from django.db import connection

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    answer, expected = func(), raw()
    ours, theirs = best_of(func, repeat, warm=False), best_of(raw, repeat, warm=False)
    agree = (
        "一致" if str(answer) == str(expected) or float(answer or 0) == float(expected or 0) else "不一致！"
    )
    print(
        f"  {label:<36} {answer!s:>16} {ours * 1000:9.2f} ms · 原生 SQL {expected!s:>16} "
        f"{theirs * 1000:9.2f} ms · 倍数 {ours / theirs if theirs else float('nan'):5.2f} · {agree}"
    )
    return ours


def timed(label, func, repeat=5):
    best = best_of(func, repeat)
    print(f"  {label:<44} {best * 1000:9.2f} ms")
    return best


def _once(func):
    started = time.perf_counter()
    func()
    return time.perf_counter() - started


def explain(queryset):
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + sql, params)
        for (line,) in cursor.fetchall():
            print("      " + line)


BRANCHES = "('branch', 'joint_branch', 'temporary_branch')"


def raw_figures():
    """The minimal hand-written SQL of each figure it can be written for: (sql, path column);
    `{scope}` becomes the scope's prefix condition on the column (nothing at the province's root).
    Parameters: %(start)s, %(end)s, %(today)s, %(like)s."""
    count_in = "SELECT COUNT(*) FROM {table} WHERE {where}{{scope}}"

    def count(table, where, column="org_path"):
        return count_in.format(table=table, where=where), column

    period = "{field} BETWEEN %(start)s AND %(end)s"
    org_on_end = (
        "(founded_on IS NULL OR founded_on <= %(end)s) AND (dissolved_on IS NULL OR dissolved_on >= %(end)s)"
    )
    post_on_end = "(established_on IS NULL OR established_on <= %(end)s) AND (revoked_on IS NULL OR revoked_on >= %(end)s)"
    meetings = "partylife_meeting"
    activities = "partylife_activity"
    trainings = "partylife_training"
    requests = "servicedesk_servicerequest"
    problems = "projects_problem"
    raw = {
        "documents.issued": count("partylife_document", period.format(field="issued_on")),
        "meetings.work_conferences": count(
            meetings, "kind = 'work_conference' AND " + period.format(field="held_on")
        ),
        "meetings.theme_days": count(meetings, "kind = 'theme_day' AND " + period.format(field="held_on")),
        "meetings.lectures_by_leaders": count(
            meetings,
            "kind = 'party_lecture' AND lecturer_role IN ('county_leader', 'secretary') AND "
            + period.format(field="held_on"),
        ),
        "trainings.sessions": count(trainings, "kind <> 'talent' AND " + period.format(field="start_on")),
        "trainings.talent_sessions": count(
            trainings, "kind = 'talent' AND " + period.format(field="start_on")
        ),
        "activities.practice": count(activities, "kind = 'practice' AND " + period.format(field="held_on")),
        "activities.enterprise_visits": count(
            activities, "kind = 'enterprise_visit' AND " + period.format(field="held_on")
        ),
        "orgs.branches": count(
            "organizations_partyorganization", f"kind IN {BRANCHES} AND {org_on_end}", "path"
        ),
        "orgs.standardized_rate": (
            "SELECT ROUND(100.0 * COUNT(*) FILTER (WHERE standardized) / NULLIF(COUNT(*), 0), 1)"
            f" FROM organizations_partyorganization WHERE kind IN {BRANCHES} AND {org_on_end}{{scope}}",
            "path",
        ),
        "orgs.party_groups": count(
            "organizations_partyorganization", f"kind = 'party_group' AND {org_on_end}", "path"
        ),
        "posts.responsibility_areas": count(
            "organizations_post", f"kind = 'responsibility_area' AND {post_on_end}"
        ),
        "posts.model_posts": count("organizations_post", f"kind = 'model_post' AND {post_on_end}"),
        "members.total": count(
            "members_membership",
            "valid_from <= %(end)s AND (valid_until IS NULL OR valid_until >= %(end)s)",
        ),
        "members.newly_developed": count("members_developmentcase", period.format(field="admitted_on")),
        "dues.collection_rate": (
            "SELECT ROUND(100.0 * SUM(LEAST(COALESCE(p.paid, 0), a.payable)) / NULLIF(SUM(a.payable), 0), 1)"
            " FROM members_duesassessment a LEFT JOIN (SELECT member_id, month, SUM(amount) AS paid"
            " FROM members_duespayment WHERE NOT voluntary AND month BETWEEN %(start)s AND %(end)s{scope_p}"
            " GROUP BY member_id, month) p ON p.member_id = a.member_id AND p.month = a.month"
            " WHERE a.month BETWEEN %(start)s AND %(end)s{scope}",
            "a.org_path",
        ),
        "meetings.compliance_rate": (COMPLIANCE_SQL, "path"),
        "problems.solved": count(problems, "status = 'solved' AND " + period.format(field="closed_on")),
        "problems.solved_by_finance_meetings": count(
            problems,
            "status = 'solved' AND source = 'finance_meeting' AND " + period.format(field="closed_on"),
        ),
        "problems.solved_by_visits": count(
            problems,
            "status = 'solved' AND source IN ('visit', 'project') AND " + period.format(field="closed_on"),
        ),
        "ratings.five_star": count("ratings_starrating", "year = %(year)s AND stars = 5"),
        "ratings.nonpublic_four_five_star_rate": (
            "SELECT ROUND(100.0 * COUNT(*) FILTER (WHERE r.stars >= 4) / NULLIF(COUNT(*), 0), 1)"
            " FROM ratings_starrating r JOIN organizations_partyorganization o ON o.id = r.organization_id"
            " WHERE r.year = %(year)s AND o.unit_nature = 'non_public'{scope}",
            "r.org_path",
        ),
        "requests.approvals_done": count(
            requests, "kind = 'approval' AND " + period.format(field="closed_on")
        ),
        "requests.services_done": count(requests, "kind = 'service' AND " + period.format(field="closed_on")),
        "requests.satisfaction": (
            f"SELECT ROUND(AVG(rating), 2) FROM {requests}"
            " WHERE rating IS NOT NULL AND closed_on BETWEEN %(start)s AND %(end)s{scope}",
            "org_path",
        ),
        "requests.on_time_acceptance": (
            "SELECT ROUND(100.0 * COUNT(*) FILTER (WHERE accepted_on IS NOT NULL AND NOT accepted_late)"
            f" / NULLIF(COUNT(*), 0), 1) FROM {requests}"
            " WHERE ((accept_due IS NOT NULL AND accepted_on BETWEEN %(start)s AND %(end)s)"
            " OR (status = 'submitted' AND accept_due < %(today)s AND accept_due BETWEEN %(start)s AND %(end)s))"
            "{scope}",
            "org_path",
        ),
        "requests.on_time_closing": (
            "SELECT ROUND(100.0 * COUNT(*) FILTER (WHERE closed_on IS NOT NULL AND NOT closed_late)"
            f" / NULLIF(COUNT(*), 0), 1) FROM {requests}"
            " WHERE ((close_due IS NOT NULL AND closed_on BETWEEN %(start)s AND %(end)s)"
            " OR (status IN ('accepted', 'in_progress') AND close_due < %(today)s"
            " AND close_due BETWEEN %(start)s AND %(end)s)){scope}",
            "org_path",
        ),
    }
    return raw


# 三会一课落实率 by hand: the (kind, slot) pairs due, owed by the organizations that owe the kind and
# existed for all of the slot, and held where such an organization met in it (frequencies from
# the rule in force at the period's end, passed as %(frequencies)s: kind=months,…).
COMPLIANCE_SQL = f"""
WITH f AS (
    SELECT split_part(x, '=', 1) AS kind, split_part(x, '=', 2)::int AS months
    FROM unnest(string_to_array(%(frequencies)s, ',')) AS x
), due AS (
    SELECT f.kind, f.months, s::date AS s, (s + make_interval(months => f.months) - interval '1 day')::date AS e
    FROM f, generate_series(%(start)s::date, %(end)s::date, make_interval(months => 1)) AS s
    WHERE (extract(month FROM s)::int - 1) %% f.months = 0
      AND (s + make_interval(months => f.months) - interval '1 day')::date <= LEAST(%(end)s::date, %(today)s::date - 1)
), owed AS (
    SELECT u.id, d.kind, d.s, d.e FROM organizations_partyorganization u JOIN due d
      ON (CASE WHEN d.kind = 'group_meeting' THEN u.kind = 'party_group'
               ELSE u.kind IN {BRANCHES} AND (d.kind <> 'committee_meeting' OR u.has_committee) END)
     AND (u.founded_on IS NULL OR u.founded_on <= d.s) AND (u.dissolved_on IS NULL OR u.dissolved_on >= d.e)
    WHERE u.kind IN {BRANCHES[:-1]}, 'party_group'){{scope}}
), held AS (
    SELECT DISTINCT m.organization_id AS id, m.kind, m.held_on - (extract(day FROM m.held_on)::int - 1)
           - make_interval(months => (extract(month FROM m.held_on)::int - 1) %% f.months) AS s
    FROM partylife_meeting m JOIN f ON f.kind = m.kind
    WHERE m.held_on BETWEEN %(start)s AND %(end)s
)
SELECT ROUND(100.0 * (SELECT COUNT(*) FROM owed JOIN held USING (id, kind, s))
             / NULLIF((SELECT COUNT(*) FROM owed), 0), 1)
"""


def measure_indicators(root, city, county, period, today):
    """Every registered figure for a county, a city and the province, beside its minimal raw SQL
    where one is written (raw_figures), then the whole set's time for a city and the province."""
    from dangjian.core.indicators import all_indicators, compute
    from dangjian.core.rules import rules_for
    from dangjian.partylife import rules as partylife_rules
    from dangjian.partylife.models import SANHUI_YIKE

    months = {"month": 1, "quarter": 3, "year": 12}
    frequency = rules_for(partylife_rules.FREQUENCY, period.end).values
    params = {
        "start": period.start,
        "end": period.end,
        "today": today,
        "year": period.end.year,
        "frequencies": ",".join(f"{k}={months[v]}" for k, v in frequency.items() if k in SANHUI_YIKE),
    }
    raw = raw_figures()
    indicators = all_indicators()
    print(f"指标 {len(indicators)} 个（每个与其最简原生 SQL 对照；“—”为未写原生 SQL）")
    slowest = []
    for label, scope in (("一个县", county), ("一个市", city), ("全省", root)):
        print(f"  —— {label} ——")
        for indicator in indicators:

            def figure(code=indicator.code, scope=scope):
                return compute(code, period=period, scope=scope, today=today).value

            name = f"{indicator.code} · {label}"
            if indicator.code in raw:
                sql, column = raw[indicator.code]
                scoped = dict(params, like=f"{scope.path}%")
                where = "" if scope.depth == 1 else f" AND {column} LIKE %(like)s"
                payments = "" if scope.depth == 1 else " AND org_path LIKE %(like)s"
                sql = sql.replace("{scope}", where).replace("{scope_p}", payments)
                ours = against_sql(name, figure, sql, scoped, repeat=3)
            else:
                ours = timed(name, figure, repeat=3)
            slowest.append((ours, indicator.code, scope))
        if scope.depth <= 2:
            everything = lambda scope=scope: [  # noqa: E731
                compute(i.code, period=period, scope=scope, today=today).value for i in indicators
            ]
            timed(f"全部 {len(indicators)} 个指标 · {label}", everything, repeat=1)
    return sorted(slowest, key=lambda row: row[0], reverse=True)[:3]


def measure_member_list(root, city, county):
    """The member list's page 1 (50 rows and the count) for a county, a city and the province,
    as the back office's changelist and `/api/v1/members/?page=1` read it, beside the raw SQL
    page; the API's throughput through the test client beside the raw SQL page's."""
    from django.db import connection
    from django.test import Client

    from dangjian.accounts.models import Grant, Role, User
    from dangjian.core.paths import path_order
    from dangjian.core.scope import restrict
    from dangjian.members.models import Member

    page_sql = (
        "SELECT m.*, o.name FROM (SELECT id FROM members_member WHERE org_path LIKE %(like)s"
        " ORDER BY org_path, name, id LIMIT 50) p JOIN members_member m ON m.id = p.id"
        " JOIN organizations_partyorganization o ON o.id = m.organization_id ORDER BY m.org_path, m.name, m.id"
    )
    count_sql = "SELECT COUNT(*) FROM members_member WHERE org_path LIKE %(like)s"

    def raw_page(like):
        with connection.cursor() as cursor:
            cursor.execute(page_sql, {"like": like})
            rows = cursor.fetchall()
            cursor.execute(count_sql, {"like": like})
            return len(rows), cursor.fetchone()[0]

    clients = {}
    for label, scope in (("一个县", county), ("一个市", city), ("全省", root)):
        user, _ = User.objects.get_or_create(username=f"bench_list_{scope.depth}")
        Grant.objects.filter(user=user).delete()
        Grant.objects.create(user=user, role=Role.objects.get(code="secretary"), organization=scope)
        user = User.objects.get(pk=user.pk)
        members = restrict(user, Member.objects.select_related("organization"))
        page = members.order_by(*path_order("name", "id"))
        ours = lambda members=members, page=page: (len(page[:50]), members.count())  # noqa: E731
        theirs = lambda scope=scope: raw_page(f"{scope.path}%")  # noqa: E731
        a, b = best_of(ours, 5), best_of(theirs, 5)
        print(
            f"  党员列表第一页（50 条 + 计数）· {label}  {a * 1000:8.2f} ms · 原生 SQL {b * 1000:8.2f} ms"
            f" · 倍数 {a / b:5.2f} · {'一致' if ours() == theirs() else '不一致！'}"
        )
        client = Client()
        client.force_login(user)
        clients[label] = (client, scope)
    for label, (client, scope) in clients.items():
        response = client.get("/api/v1/members/?page=1")
        assert response.status_code == 200, response.content[:300]
        served = throughput(lambda client=client: client.get("/api/v1/members/?page=1"))
        raw = throughput(lambda scope=scope: raw_page(f"{scope.path}%"))
        print(
            f"  /api/v1/members/?page=1 · {label}  {served:7.1f} 次/秒 · 原生 SQL 分页 {raw:7.1f} 次/秒"
            f" · 比例 {served / raw:5.2f}"
        )
    return clients


def throughput(func, seconds=2.0):
    func()
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        func()
        done += 1
    return done / (time.perf_counter() - started)


def explain_slowest(slowest, period, today):
    """EXPLAIN ANALYZE of the slowest query of each of the slowest figures."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dangjian.core.indicators import compute

    if connection.vendor != "postgresql":
        return
    for seconds, code, scope in slowest:
        with CaptureQueriesContext(connection) as queries:
            compute(code, period=period, scope=scope, today=today)
        sql = max(queries.captured_queries, key=lambda q: float(q["time"]))["sql"]
        print(
            f"  查询计划：{code} · {scope.name}（{seconds * 1000:.1f} ms，{len(queries)} 条查询中最慢的一条）"
        )
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN ANALYZE " + sql.replace("%", "%%"))
            for (line,) in cursor.fetchall():
                print("      " + line)


def measure(args):
    from dangjian.accounts.models import Grant, Role, User
    from dangjian.core.indicators import Period
    from dangjian.core.paths import path_order
    from dangjian.core.scope import restrict, subtree_q
    from dangjian.members.models import Member
    from dangjian.organizations.models import PartyOrganization

    root = PartyOrganization.objects.get(depth=1)
    city = PartyOrganization.objects.filter(depth=2).order_by("path").first()
    county = PartyOrganization.objects.filter(depth=3).order_by("path").first()
    period = Period.year(2025)
    user, _ = User.objects.get_or_create(username="bench_secretary")
    Grant.objects.filter(user=user).delete()
    Grant.objects.create(user=user, role=Role.objects.get(code="secretary"), organization=county)
    user = User.objects.get(pk=user.pk)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # statistics as the migrations set them, visibility maps
            cursor.execute("VACUUM ANALYZE")
    print(f"数据库：{os.environ.get('DATABASE_URL', 'sqlite')}")
    print(f"组织 {PartyOrganization.objects.count()} 个，党员 {Member.objects.count()} 名")
    from django.utils import timezone

    today = timezone.localdate()
    slowest = measure_indicators(root, city, county, period, today)
    measure_member_list(root, city, county)
    print("  查询计划：县书记的党员列表第一页")
    explain(restrict(user, Member.objects.all()).order_by(*path_order("name", "id"))[:50])
    print("  查询计划：全省的党员列表第一页（根组织的授权，含无组织的记录）")
    explain(
        Member.objects.filter(subtree_q("org_path", root.path, True)).order_by(*path_order("name", "id"))[:50]
    )
    explain_slowest(slowest, period, today)
    measure_warnings(root, city, county)
    measure_requests(root, city, county, period)
    measure_investment(period)
    measure_talent(county, period)
    measure_cockpit(root, city, county, period)


def measure_cockpit(root, city, county, period):
    """The cockpit (驾驶舱) of a zone office for each size of scope: computed (every card and chart
    point through the registry) and then read from the cache until the data changes."""
    from django.core.cache import cache

    from dangjian.accounts.models import Grant, Role, User
    from dangjian.reports import cockpit

    for label, scope in (("一个县", county), ("一个市", city), ("全省", root)):
        office, _ = User.objects.get_or_create(username=f"bench_cockpit_{scope.depth}")
        Grant.objects.filter(user=office).delete()
        Grant.objects.create(user=office, role=Role.objects.get(code="zone_admin"), organization=scope)
        office = User.objects.get(pk=office.pk)
        year = period.start.year
        cache.clear()
        started = time.perf_counter()
        data = cockpit.cockpit(user=office, year=year)
        cold = time.perf_counter() - started
        points = sum(len(s["data"]) for chart in data["charts"].values() for s in chart["series"])
        print(
            f"  驾驶舱（{len(data['cards'])} 张卡片、{points} 个图表点）· {label}：首次计算 {cold * 1000:9.1f} ms"
        )
        timed(
            f"驾驶舱（缓存命中）· {label}",
            lambda office=office, year=year: cockpit.cockpit(user=office, year=year),
        )


def measure_investment(period):
    """The investment figures at zone scope (every record counts at the zone's root): projects
    signed in the year and their funds in place, and the people in post on a day."""
    from dangjian.investment import selectors
    from dangjian.investment.models import InvestmentPerson, InvestmentProject, PersonRole

    projects, people = InvestmentProject.objects.all(), InvestmentPerson.objects.all()
    print(f"招商项目 {projects.count()} 个，招商人员 {people.count()} 名")
    start, end = period.start.isoformat(), period.end.isoformat()
    signed_sql = (
        "SELECT COUNT(*) FROM investment_investmentproject"
        " WHERE signed_on >= %s AND signed_on <= %s AND stage <> 'terminated'"
    )
    against_sql(
        "签约项目数 · 全区一年",
        lambda: selectors.signed_in(projects, period).count(),
        signed_sql,
        [start, end],
    )
    against_sql(
        "签约项目到位资金（万元）· 全区一年",
        lambda: selectors.funds_of(selectors.signed_in(projects, period)),
        "SELECT SUM(t.amount) FROM investment_fundtranche t"
        " JOIN investment_investmentproject p ON p.id = t.project_id"
        " WHERE p.signed_on >= %s AND p.signed_on <= %s AND p.stage <> 'terminated'",
        [start, end],
    )
    day = period.end
    against_sql(
        f"在任招商大使 · {day:%Y-%m-%d}",
        lambda: selectors.people_in_post(people, day, PersonRole.AMBASSADOR).count(),
        "SELECT COUNT(*) FROM investment_investmentperson WHERE role = 'ambassador'"
        " AND (appointed_on IS NULL OR appointed_on <= %s) AND (left_on IS NULL OR left_on > %s)",
        [day.isoformat(), day.isoformat()],
    )
    print("  查询计划：签约项目到位资金 · 全区一年")
    from dangjian.investment.models import FundTranche

    explain(
        FundTranche.objects.filter(project__in=selectors.signed_in(projects, period).values("pk")).values(
            "amount"
        )
    )


def measure_talent(county, period):
    """The talent figures beside raw SQL: at zone scope (every record) and for a county (records
    follow their enterprise's organization): the year's intake, the pool at the year's end, the
    support paid, platforms in force (all, and 省级研发平台), patents and distinct universities
    by the year's end. Only confirmed talents and innovations count."""
    from dangjian.talent import selectors
    from dangjian.talent.models import Innovation, InnovationKind, Platform, PolicySupport, Talent

    talents, innovations = Talent.objects.all(), Innovation.objects.all()
    print(
        f"人才 {talents.count()} 名，创新平台 {Platform.objects.count()} 个，科技创新 {innovations.count()} 项"
    )
    start, end = period.start.isoformat(), period.end.isoformat()
    in_county = f"{county.path}%"
    intake_sql = (
        "SELECT COUNT(*) FROM talent_talent t{join}"
        " WHERE t.review = 'confirmed' AND t.intake_on >= %s AND t.intake_on <= %s{where}"
    )
    county_join = " JOIN enterprises_enterprise e ON e.id = t.enterprise_id"
    against_sql(
        "人才动态入库人数 · 全区一年",
        lambda: selectors.intake_in(talents, period).count(),
        intake_sql.format(join="", where=""),
        [start, end],
    )
    county_talents = talents.filter(enterprise__org_path__startswith=county.path)
    against_sql(
        "人才动态入库人数 · 一个县一年",
        lambda: selectors.intake_in(county_talents, period).count(),
        intake_sql.format(join=county_join, where=" AND e.org_path LIKE %s"),
        [start, end, in_county],
    )
    against_sql(
        f"在库人数 · 全区 {period.end:%Y-%m-%d}",
        lambda: selectors.in_pool_on(talents, period.end).count(),
        "SELECT COUNT(*) FROM talent_talent WHERE review = 'confirmed'"
        " AND (intake_on IS NULL OR intake_on <= %s) AND (exit_on IS NULL OR exit_on > %s)",
        [end, end],
    )
    against_sql(
        "人才政策兑现金额（元）· 全区一年",
        lambda: selectors.support_total(selectors.supports_paid_in(PolicySupport.objects.all(), period)),
        "SELECT SUM(amount) FROM talent_policysupport WHERE paid_on >= %s AND paid_on <= %s",
        [start, end],
    )
    platform_sql = (
        "SELECT COUNT(*) FROM talent_platform WHERE (recognised_on IS NULL OR recognised_on <= %s)"
        " AND (withdrawn_on IS NULL OR withdrawn_on > %s)"
    )
    against_sql(
        "创新平台数 · 全区期末",
        lambda: selectors.platforms_on(Platform.objects.all(), period.end).count(),
        platform_sql,
        [end, end],
    )
    against_sql(
        "省级研发平台数 · 全区期末",
        lambda: selectors.platforms_on(
            Platform.objects.all(), period.end, kind="research", level="provincial"
        ).count(),
        platform_sql + " AND kind = 'research' AND level = 'provincial'",
        [end, end],
    )
    against_sql(
        "专利数 · 全区期末",
        lambda: selectors.innovations_by(innovations, period.end, InnovationKind.PATENT).count(),
        "SELECT COUNT(*) FROM talent_innovation WHERE kind = 'patent' AND review = 'confirmed'"
        " AND dated_on <= %s",
        [end],
    )
    county_innovations = innovations.filter(enterprise__org_path__startswith=county.path)
    against_sql(
        "专利数 · 一个县期末",
        lambda: selectors.innovations_by(county_innovations, period.end, InnovationKind.PATENT).count(),
        "SELECT COUNT(*) FROM talent_innovation i JOIN enterprises_enterprise e ON e.id = i.enterprise_id"
        " WHERE i.kind = 'patent' AND i.review = 'confirmed' AND i.dated_on <= %s AND e.org_path LIKE %s",
        [end, in_county],
    )
    against_sql(
        "合作高校数（去重）· 全区期末",
        lambda: selectors.universities_by(innovations, period.end).count(),
        "SELECT COUNT(DISTINCT u.name) FROM talent_cooperationuniversity u"
        " JOIN talent_innovation i ON i.id = u.innovation_id"
        " WHERE i.kind = 'cooperation' AND i.review = 'confirmed' AND i.dated_on <= %s",
        [end],
    )
    print("  查询计划：人才动态入库人数 · 一个县一年")
    explain(selectors.intake_in(county_talents, period).values("id"))
    print("  查询计划：合作高校数 · 全区期末")
    explain(selectors.universities_by(innovations, period.end))


def measure_warnings(root, city, county):
    """The organization warnings (members, elections, overdue 组织生活 and dues) a zone office
    sees on its dashboard and warnings page, for each size of scope: stored per organization
    (refreshed once here, after the load, as the daily job refreshes them), read a page at a time
    and counted per group by SQL."""
    from django.db.models import Count

    from dangjian.accounts.models import Grant, Role, User
    from dangjian.organizations.selectors import warning_counts, warning_rows
    from dangjian.organizations.services import refresh_warnings

    started = time.perf_counter()
    stored = refresh_warnings()
    print(f"  组织预警刷新（全部组织，每日任务）：{stored} 条，用时 {time.perf_counter() - started:.1f} s")
    offices = {}
    for label, scope, repeat in (("一个县", county, 5), ("一个市", city, 3), ("全省", root, 3)):
        office, _ = User.objects.get_or_create(username=f"bench_office_{scope.depth}")
        Grant.objects.filter(user=office).delete()
        Grant.objects.create(user=office, role=Role.objects.get(code="zone_admin"), organization=scope)
        office = offices[label] = User.objects.get(pk=office.pk)
        count = sum(warning_counts(user=office).values())
        timed(
            f"组织预警第一页（50 条，共 {count} 条）· {label}",
            lambda office=office: list(warning_rows(user=office)[:50]),
            repeat,
        )
        timed(
            f"组织预警分类计数 · {label}",
            lambda office=office: warning_counts(user=office),
            repeat,
        )
    print("  查询计划：组织预警第一页 · 全省")
    explain(warning_rows(user=offices["全省"])[:50])
    print("  查询计划：组织预警分类计数 · 全省")
    explain(warning_rows(user=offices["全省"]).order_by().values("group").annotate(n=Count("*")))


def measure_requests(root, city, county, period):
    from dangjian.core.indicators import compute
    from dangjian.core.scope import restrict
    from dangjian.servicedesk.models import ServiceRequest, acceptance_overdue, closing_overdue
    from dangjian.servicedesk.selectors import acceptance_counted

    print(f"诉求 {ServiceRequest.objects.count()} 件")
    for label, scope in (("全省", root), ("一个市", city), ("一个县", county)):
        for code in ("requests.approvals_done", "requests.satisfaction", "requests.on_time_acceptance"):
            timed(
                f"{code} · {label}", lambda code=code, scope=scope: compute(code, period=period, scope=scope)
            )
    today = datetime.date(2026, 6, 30)
    overdue = ServiceRequest.objects.filter(escalated_on__isnull=True).filter(
        acceptance_overdue(today) | closing_overdue(today)
    )
    timed("待升级的超时事项（全省计数）", lambda: overdue.count())
    from dangjian.accounts.models import Grant, Role, User

    office, _ = User.objects.get_or_create(username="bench_county_office")
    Grant.objects.filter(user=office).delete()
    Grant.objects.create(user=office, role=Role.objects.get(code="zone_admin"), organization=county)
    user = User.objects.get(pk=office.pk)
    listing = lambda: list(restrict(user, ServiceRequest.objects.all()).order_by("-submitted_on", "-id")[:50])  # noqa: E731
    timed("县管理员的诉求列表第一页（50 条）", listing)
    print("  查询计划：requests.on_time_acceptance · 一个市")
    records, _on_time = acceptance_counted(ServiceRequest.objects.all(), period.start, period.end, today)
    explain(records.filter(org_path__startswith=city.path).values("id"))
    print("  查询计划：requests.approvals_done · 一个市")
    explain(
        ServiceRequest.objects.filter(
            kind="approval",
            closed_on__gte=period.start,
            closed_on__lte=period.end,
            org_path__startswith=city.path,
        ).values("id")
    )
    print("  查询计划：待升级的超时事项")
    explain(overdue.values("id"))
    print("  查询计划：县管理员的诉求列表第一页")
    explain(restrict(user, ServiceRequest.objects.all()).order_by("-submitted_on", "-id")[:50])


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cities", type=int, default=10)
    parser.add_argument("--counties", type=int, default=10)
    parser.add_argument("--branches", type=int, default=40)
    parser.add_argument("--members", type=int, default=25, help="members per branch")
    parser.add_argument("--requests", type=int, default=25, help="service requests per branch's enterprise")
    parser.add_argument("--projects", type=int, default=40, help="investment projects per county")
    parser.add_argument("--talents", type=int, default=5, help="talents per branch's enterprise")
    parser.add_argument("--innovations", type=int, default=4, help="innovations per branch's enterprise")
    parser.add_argument("--meetings", type=int, default=3, help="meetings per branch a month")
    parser.add_argument(
        "--load-only", action="store_true", help="load (or keep) the data and stop, measuring nothing"
    )
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    ensure_database(url)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    load(args)
    load_requests(args)
    load_investment(args)
    load_talent(args)
    load_life(args)
    if not args.load_only:
        measure(args)


if __name__ == "__main__":
    main()
