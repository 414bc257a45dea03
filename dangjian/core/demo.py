"""What the apps' demo loaders share (each app loads its part of the demo zone in its demo.py,
registered with core.registry.demo_loader): one random generator, so the zone is the same every
time, the records later loaders refer to, and helpers for names, phones and dates."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

DEMO_PASSWORD = "Dangjian@2026"

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强海燕红梅文博晓东晓燕子涵宇轩浩然欣怡佳琪俊杰思远雨萱明轩梓涵一鸣嘉怡"


@dataclass
class DemoContext:
    rng: object
    stdout: object = None
    # records later loaders refer to: "orgs" (name → organization), "enterprises" (name → enterprise)
    shared: dict = field(default_factory=dict)
    # the demo zone's records run from 1 January of last year to today
    today: datetime.date = field(default_factory=timezone.localdate)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.today.year - 1, 1, 1)

    def say(self, text):
        if self.stdout is not None:
            self.stdout.write(text)

    def person_name(self):
        rng = self.rng
        return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))

    def mobile(self):
        rng = self.rng
        return f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"


class DemoPart:
    """An app's demo loader as a class: the shared context, its random generator and period."""

    def __init__(self, zone: DemoContext):
        self.zone, self.rng, self.today, self.start = zone, zone.rng, zone.today, zone.start


def distinct_names(rng, count):
    """`count` distinct Chinese names."""
    names = []
    while len(names) < count:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        if name not in names:
            names.append(name)
    return names


def months_between(start: datetime.date, end: datetime.date):
    cursor = start.replace(day=1)
    while cursor <= end:
        yield cursor
        cursor = (cursor + datetime.timedelta(days=32)).replace(day=1)


def day_in(month: datetime.date, rng, end: datetime.date) -> datetime.date | None:
    day = month.replace(day=rng.randint(3, 26))
    return day if day < end else None


def demo_date(text):
    """'2021-07-01' or '2021-07' (the first of the month)."""
    parts = [int(p) for p in text.split("-")]
    return datetime.date(parts[0], parts[1], parts[2] if len(parts) > 2 else 1)
