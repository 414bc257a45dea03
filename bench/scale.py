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
    from dangjian.core.scope import restrict
    from dangjian.indicators.registry import Period, compute
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


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cities", type=int, default=10)
    parser.add_argument("--counties", type=int, default=10)
    parser.add_argument("--branches", type=int, default=40)
    parser.add_argument("--members", type=int, default=25, help="members per branch")
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    ensure_database(url)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    load(args)
    measure(args)


if __name__ == "__main__":
    main()
