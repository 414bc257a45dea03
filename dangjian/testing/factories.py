"""Factories for tests: records are made through the services, as the product makes them."""

import datetime
import itertools

import factory

from dangjian.accounts.models import Grant, Role, User
from dangjian.core.testing.codes import make_credit_code, make_id_number
from dangjian.enterprises import services as enterprise_services
from dangjian.enterprises.models import IndustryCluster
from dangjian.members import services as member_services
from dangjian.members.models import MemberCategory
from dangjian.organizations import services as org_services
from dangjian.organizations.models import OrgKind

_seq = itertools.count(1)
PASSWORD = "Test@2026pass"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


def make_user(role_code: str | None = None, **scope) -> User:
    """A user with one grant of the built-in role `role_code` over `scope`
    (organization=…, enterprise=…, or content_type/object_id; nothing for global roles)."""
    user = UserFactory()
    if role_code:
        Grant.objects.create(user=user, role=Role.objects.get(code=role_code), **scope)
    return user


def make_org(name: str, kind=OrgKind.BRANCH, parent=None, **fields):
    return org_services.organization_create(actor=None, parent=parent, name=name, kind=kind, **fields)


def make_enterprise(name: str, cluster: str = "生物医药", **fields):
    return enterprise_services.enterprise_create(
        actor=None,
        name=name,
        credit_code=fields.pop("credit_code", make_credit_code(next(_seq) * 104729)),
        cluster=IndustryCluster.objects.get(name=cluster),
        **fields,
    )


def make_member(
    organization,
    *,
    name=None,
    sex="男",
    birth=datetime.date(1990, 5, 6),
    joined=datetime.date(2015, 7, 1),
    category=MemberCategory.FULL,
    **fields,
):
    seq = next(_seq)
    regularized = fields.pop("regularized_on", None)
    if category == MemberCategory.FULL and regularized is None:
        regularized = joined.replace(year=joined.year + 1)
    return member_services.member_create(
        actor=None,
        organization=organization,
        name=name or f"党员{seq}",
        sex=sex,
        id_number=fields.pop("id_number", None) or make_id_number(birth, seq, sex),
        category=category,
        joined_on=joined,
        regularized_on=regularized,
        **fields,
    )


class Zone:
    """A small zone for scope tests:

    测试高新区党工委 (root)
    ├── 甲企业党委 (unit 甲企业)
    │   ├── 甲一党支部
    │   │   └── 甲一第1党小组
    │   └── 甲二党支部
    └── 乙企业党支部 (unit 乙企业)
    """

    def __init__(self):
        self.enterprise_a = make_enterprise("甲企业")
        self.enterprise_b = make_enterprise("乙企业", cluster="新能源")
        self.root = make_org("测试高新区党工委", OrgKind.WORKING_COMMITTEE)
        self.committee_a = make_org("甲企业党委", OrgKind.COMMITTEE, self.root, unit_name="甲企业")
        self.branch_a1 = make_org("甲一党支部", OrgKind.BRANCH, self.committee_a, unit_name="甲企业")
        self.group_a1 = make_org("甲一第1党小组", OrgKind.PARTY_GROUP, self.branch_a1)
        self.branch_a2 = make_org("甲二党支部", OrgKind.BRANCH, self.committee_a, unit_name="甲企业")
        self.branch_b = make_org("乙企业党支部", OrgKind.BRANCH, self.root, unit_name="乙企业")
        for org in (self.committee_a, self.branch_a1, self.group_a1, self.branch_a2, self.branch_b):
            org.refresh_from_db()
        self.enterprise_a.refresh_from_db()
        self.enterprise_b.refresh_from_db()
