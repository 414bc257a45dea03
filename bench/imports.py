"""Import benchmark: a realistic N-row 党员花名册 (members ledger) imported into a database.

    .venv/bin/python bench/imports.py --rows 20000
        # PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/dangjian_bench_import)
    .venv/bin/python bench/imports.py --rows 20000 --sqlite        # a throw-away SQLite file
    .venv/bin/python bench/imports.py --rows 5000 --profile        # cProfile of the real import

It builds a small organization tree (a working committee, two committees, 40 branches with a
party group each), writes the roster as .xlsx (a title row above the header; valid ID numbers;
dates as Excel date cells, 2019/7/1, 2019.07.01, 2019年7月1日, 20190701 and month-only 2019.07;
full and probationary members; phones, groups, education), then measures, each in a process of
its own so the peak memory is the phase's own (the members of the tree are removed before the
dry run and the import):

- read: openpyxl's plain read of the file (read_only=True, iterating values), the floor;
- dry: `import_ledger("members", ..., dry_run=True)`, every row new;
- real: the import itself, every row new, with the audit rows it wrote;
- again: the same file once more (every row unchanged).

It prints rows/s, the peak memory (resource maxrss of the phase's process) and each import's
time as a multiple of the read. Timings are printed, never asserted.
"""

import argparse
import datetime
import inspect
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

PG_URL = "postgres://postgres@127.0.0.1:5432/dangjian_bench_import"
ROOT_NAME = "导入基准党工委"
BRANCHES = 40


def ensure_database(url):
    if not url.startswith("postgres"):
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    base = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(base, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url):
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()


def build_tree():
    """The tree the roster names (created once, through the services)."""
    from dangjian.organizations.models import OrgKind, PartyOrganization
    from dangjian.organizations.services import organization_create

    root = PartyOrganization.objects.filter(name=ROOT_NAME, depth=1).first()
    if root is not None:
        return
    founded = datetime.date(2000, 1, 1)
    root = organization_create(
        actor=None, parent=None, name=ROOT_NAME, kind=OrgKind.WORKING_COMMITTEE, founded_on=founded
    )
    for c in range(2):
        committee = organization_create(
            actor=None, parent=root, name=f"导入基准党委{c + 1}", kind=OrgKind.COMMITTEE, founded_on=founded
        )
        for b in range(BRANCHES // 2):
            number = c * (BRANCHES // 2) + b + 1
            branch = organization_create(
                actor=None,
                parent=committee,
                name=f"导入基准第{number}支部",
                kind=OrgKind.BRANCH,
                founded_on=founded,
            )
            organization_create(
                actor=None,
                parent=branch,
                name=f"导入基准第{number}支部第一党小组",
                kind=OrgKind.PARTY_GROUP,
                founded_on=founded,
            )


def clear_members():
    """Remove the tree's members (and their stays) so the real import creates every row."""
    from django.db import connection

    from dangjian.members.models import Member, Membership
    from dangjian.organizations.models import PartyOrganization

    root = PartyOrganization.objects.get(name=ROOT_NAME, depth=1)
    with connection.cursor() as cursor:
        for model in (Membership, Member):
            cursor.execute(
                f"DELETE FROM {model._meta.db_table} WHERE org_path LIKE %s",
                [root.path + "%"],
            )


def write_roster(path: Path, rows: int, seed: int = 7):
    """The roster as a zone keeps it: a title row, the header, then `rows` members."""
    from openpyxl import Workbook

    from dangjian.core.testing.codes import make_id_number

    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append(["2025年党员花名册"])
    sheet.append(
        [
            "姓名",
            "性别",
            "民族",
            "身份证号",
            "出生日期",
            "学历",
            "人员类别",
            "入党时间",
            "转正日期",
            "所在支部",
            "所在党小组",
            "职务",
            "联系电话",
            "党籍状态",
            "是否流动党员",
        ]
    )
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"
    educations = ["大学本科", "本科", "研究生", "硕士", "大专", "中专", "高中", "初中"]
    today = datetime.date.today()

    def date_text(day: datetime.date, form: int):
        return [
            day,  # an Excel date cell
            f"{day.year}/{day.month}/{day.day}",
            f"{day:%Y.%m.%d}",
            f"{day.year}年{day.month}月{day.day}日",
            f"{day:%Y%m%d}",
        ][form]

    for i in range(rows):
        sex = "男" if rng.random() < 0.6 else "女"
        birth = datetime.date(rng.randint(1950, 1999), rng.randint(1, 12), rng.randint(1, 28))
        id_number = make_id_number(birth, seq=i, sex=sex, region=f"61{1000 + i // 500:04d}")
        probationary = rng.random() < 0.08
        if probationary:
            joined = today - datetime.timedelta(days=rng.randint(30, 300))
        else:
            joined = datetime.date(birth.year + rng.randint(19, 24), rng.randint(1, 12), rng.randint(1, 28))
        form = rng.randrange(6)
        if probationary:
            joined_cell, regular_cell, category = date_text(joined, form % 5), None, "预备党员"
        elif form == 5:  # month only, both dates
            joined_cell = f"{joined.year}.{joined.month:02d}"
            regular_cell = f"{joined.year + 1}年{joined.month}月"
            category = "正式党员"
        else:
            regular = joined.replace(year=joined.year + 1)
            joined_cell, regular_cell, category = date_text(joined, form), date_text(regular, form), "正式"
        branch = rng.randint(1, BRANCHES)
        sheet.append(
            [
                rng.choice(surnames) + "".join(rng.choice(given) for _ in range(rng.randint(1, 2))),
                sex if rng.random() < 0.9 else None,
                "汉族" if rng.random() < 0.9 else "回族",
                id_number.lower() if rng.random() < 0.05 else id_number,
                birth if rng.random() < 0.5 else None,
                rng.choice(educations),
                category,
                joined_cell,
                regular_cell,
                f"导入基准第{branch}支部",
                f"导入基准第{branch}支部第一党小组" if rng.random() < 0.3 else None,
                rng.choice(["职员", "工程师", "经理", "技术员", None]),
                f"13{rng.randint(100000000, 999999999)}" if rng.random() < 0.8 else None,
                "正常" if rng.random() < 0.5 else None,
                "否" if rng.random() < 0.95 else "是",
            ]
        )
    workbook.save(path)


def phase_read(path: Path) -> dict:
    from openpyxl import load_workbook

    started = time.perf_counter()
    workbook = load_workbook(path, read_only=True, data_only=True)
    count = 0
    for _row in workbook.worksheets[0].iter_rows(values_only=True):
        count += 1
    workbook.close()
    return {"seconds": time.perf_counter() - started, "rows": count}


def bench_user():
    from dangjian.accounts.models import User

    user = User.objects.filter(username="bench_import").first()
    if user is None:
        user = User.objects.create_superuser("bench_import", password="Qz7#mL2v-Rt9xW4p")
    return user


def phase_import(path: Path, *, dry_run: bool, profile: str = "") -> dict:
    from dangjian.audit.models import AuditEntry
    from dangjian.core.ledgers import import_ledger

    data = path.read_bytes()
    user = bench_user()
    audit_before = AuditEntry.objects.count()
    calls = []
    started = time.perf_counter()
    kwargs = {"actor": user, "dry_run": dry_run}
    if "progress" in inspect.signature(import_ledger).parameters:
        kwargs["progress"] = lambda *a: calls.append(a)
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        report = profiler.runcall(import_ledger, "members", data, path.name, **kwargs)
        profiler.dump_stats(profile)
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
    else:
        report = import_ledger("members", data, path.name, **kwargs)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "ok": report.ok,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "errors": report.error_count,
        "first_errors": [str(e) for e in report.errors[:3]],
        "audit_rows": AuditEntry.objects.count() - audit_before,
        "progress_calls": len(calls),
    }


def child(args):
    url = args.url
    setup_django(url)
    path = Path(args.file)
    if args.phase == "read":
        result = phase_read(path)
    else:
        if args.phase in ("dry", "real"):
            clear_members()
        result = phase_import(path, dry_run=args.phase == "dry", profile=args.profile)
    result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(result, ensure_ascii=False))


def run_phase(url, file, phase, profile=""):
    command = [sys.executable, __file__, "--child", phase, "--url", url, "--file", str(file)]
    if profile:
        command += ["--profile-out", profile]
    out = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ, DATABASE_URL=url))
    if out.returncode:
        sys.stderr.write(out.stdout[-5000:] + out.stderr[-5000:])
        raise SystemExit(f"phase {phase} failed")
    lines = out.stdout.splitlines()
    for line in lines:
        if not line.startswith("RESULT "):
            print(line)
    return json.loads(next(line for line in lines if line.startswith("RESULT "))[7:])


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument(
        "--sqlite", action="store_true", help="a throw-away SQLite file instead of PostgreSQL"
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the real import")
    parser.add_argument("--skip-dry", action="store_true")
    parser.add_argument("--child", dest="phase", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--profile-out", dest="profile_out", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        args.profile = args.profile_out
        return child(args)

    var = ROOT / "var"
    var.mkdir(exist_ok=True)
    url = (
        f"sqlite:///{var / 'bench_import.sqlite3'}"
        if args.sqlite
        else os.environ.get("BENCH_DATABASE_URL", PG_URL)
    )
    ensure_database(url)
    setup_django(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    build_tree()
    file = var / f"bench_roster_{args.rows}.xlsx"
    if not file.exists():
        started = time.perf_counter()
        write_roster(file, args.rows)
        print(
            f"生成 {args.rows} 行花名册 {file.name}（{file.stat().st_size / 1e6:.1f} MB），{time.perf_counter() - started:.1f} s"
        )
    print(f"数据库：{url.split('://')[0]}，{args.rows} 行")
    read = run_phase(url, file, "read")
    print(
        f"openpyxl 读取：{read['seconds']:.2f} s，{read['rows'] / read['seconds']:,.0f} 行/s，峰值 {read['maxrss_mb']:.0f} MB"
    )
    phases = ([] if args.skip_dry else ["dry"]) + ["real", "again"]
    for phase in phases:
        profile = str(var / f"bench_import_{phase}.prof") if args.profile and phase == "real" else ""
        result = run_phase(url, file, phase, profile)
        name = {"dry": "试导入", "real": "导入", "again": "再次导入（全部未变化）"}[phase]
        print(
            f"{name}：{result['seconds']:.2f} s，{args.rows / result['seconds']:,.0f} 行/s，"
            f"读取的 {result['seconds'] / read['seconds']:.1f} 倍，峰值 {result['maxrss_mb']:.0f} MB，"
            f"审计 {result['audit_rows']} 条，新增 {result['created']}，更新 {result['updated']}，"
            f"未变化 {result['unchanged']}，错误 {result['errors']}，进度回调 {result['progress_calls']} 次"
        )
        if result["first_errors"]:
            print("  ", *result["first_errors"], sep="\n   ")


if __name__ == "__main__":
    main()
