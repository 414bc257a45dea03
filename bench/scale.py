"""Scale benchmark: scoped lists and figures at province-like size.

Builds a synthetic tree (root → cities → counties → branches → party groups) with members,
their stays (Membership) and posts straight into a database by bulk insert, then times the
queries that serve scoped lists and indicators and prints their query plans.

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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


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
            "accounts_grant",
            "members_membership",
            "members_member",
            "organizations_post",
            "organizations_partyorganization",
        ):
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
    ServiceRequest.objects.all().delete()
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
                ServiceRequest.objects.bulk_create(batch, batch_size=5000)
            batch.clear()
    with transaction.atomic():
        ServiceRequest.objects.bulk_create(batch, batch_size=5000)
    print(f"  {len(enterprises)} 家企业，{seq} 件诉求，用时 {time.perf_counter() - started:.1f} 秒")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


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


def timed(label, func, repeat=5):
    func()
    best = min(_once(func) for _ in range(repeat))
    print(f"  {label:<44} {best * 1000:9.2f} ms")


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


def measure(args):
    from dangjian.accounts.models import Grant, Role, User
    from dangjian.core.indicators import Period, compute
    from dangjian.core.scope import restrict
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
    print(f"数据库：{os.environ.get('DATABASE_URL', 'sqlite')}")
    print(f"组织 {PartyOrganization.objects.count()} 个，党员 {Member.objects.count()} 名")
    for label, scope in (("全省", root), ("一个市", city), ("一个县", county)):
        timed(
            f"members.total · {label}",
            lambda scope=scope: compute("members.total", period=period, scope=scope),
        )
        timed(
            f"orgs.branches · {label}",
            lambda scope=scope: compute("orgs.branches", period=period, scope=scope),
        )
        timed(
            f"posts.model_posts · {label}",
            lambda scope=scope: compute("posts.model_posts", period=period, scope=scope),
        )
    first_page = lambda: list(restrict(user, Member.objects.all()).order_by("org_path", "name", "id")[:50])  # noqa: E731
    timed("县书记的党员列表第一页（50 条）", first_page)
    timed("县书记的党员计数", lambda: restrict(user, Member.objects.all()).count())
    print("  查询计划：县书记的党员列表第一页")
    explain(restrict(user, Member.objects.all()).order_by("org_path", "name", "id")[:50])
    from dangjian.members.models import Membership, memberships_on

    print("  查询计划：members.total · 一个市")
    explain(
        Membership.objects.filter(memberships_on(period.end), org_path__startswith=city.path).values("id")
    )
    measure_warnings(root, city, county)
    measure_requests(root, city, county, period)


def measure_warnings(root, city, county):
    """The organization warnings (members, elections, overdue 组织生活 and dues) a zone office
    sees on its dashboard and warnings page, for each size of scope."""
    from dangjian.accounts.models import Grant, Role, User
    from dangjian.organizations.warnings import organization_warnings

    for label, scope, repeat in (("一个县", county, 5), ("一个市", city, 3), ("全省", root, 1)):
        office, _ = User.objects.get_or_create(username=f"bench_office_{scope.depth}")
        Grant.objects.filter(user=office).delete()
        Grant.objects.create(user=office, role=Role.objects.get(code="zone_admin"), organization=scope)
        office = User.objects.get(pk=office.pk)
        count = len(organization_warnings(user=office))
        timed(
            f"组织预警（{count} 条）· {label}",
            lambda office=office: organization_warnings(user=office),
            repeat,
        )


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
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    ensure_database(url)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    load(args)
    load_requests(args)
    measure(args)


if __name__ == "__main__":
    main()
