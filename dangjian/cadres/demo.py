"""The demo zone's cadres (the seed article's 28 young cadres); the projects and service desk
loaders assign them."""

import datetime

from django.utils import timezone

from dangjian.accounts import services as account_services
from dangjian.accounts.models import User
from dangjian.core.demo import DEMO_PASSWORD, distinct_names
from dangjian.core.registry import demo_loader

from . import services


@demo_loader(order=58)
def load_cadres(demo):
    """28 young cadres of the zone's organs (王一博 is the demo login "cadre"), led by the leader."""
    start = demo.start
    leader = User.objects.get(username="leader")
    organizations = [demo.shared["orgs"][n] for n in ("机关第一党支部", "机关第二党支部", "机关第三党支部")]
    names = ["王一博", *[name for name in distinct_names(demo.rng, 40) if name != "王一博"]][:28]
    cadre_list = []
    for index, name in enumerate(names):
        cadre = services.cadre_save(
            actor=None,
            name=name,
            phone=f"1389140{index:04d}",
            title=demo.rng.choice(["科员", "副主任科员", "主任科员"]),
            organization=organizations[index % 3],
            leader=leader,
            birth_date=datetime.date(1990 + index % 8, 1 + index % 12, 1),
            birth_month_only=True,
        )
        cadre.created_at = timezone.make_aware(datetime.datetime.combine(start, datetime.time(9)))
        type(cadre).objects.filter(pk=cadre.pk).update(created_at=cadre.created_at)
        cadre_list.append(cadre)
    account = cadre_list[0].user
    account.username = "cadre"
    account_services.user_save(actor=None, user=account, password=DEMO_PASSWORD)
    demo.say(f"包抓干部 {len(cadre_list)} 名")
