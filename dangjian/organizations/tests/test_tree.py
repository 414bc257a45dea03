"""The organization tree: placement rules, moves (with everything that carries the path),
deletion, and the term of office."""

import datetime
from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError

from dangjian.enterprises.models import Enterprise
from dangjian.members import services as member_services
from dangjian.members.models import Member, Membership
from dangjian.organizations import services
from dangjian.organizations.models import OrgKind, PartyOrganization, Post, PostKind
from dangjian.testing.factories import make_enterprise, make_member, make_org

D = datetime.date


@contextmanager
def refused(field):
    """`with refused("parent") as excinfo:` expects a ValidationError naming that field."""
    with pytest.raises(ValidationError) as excinfo:
        yield excinfo
    assert field in excinfo.value.message_dict, excinfo.value.message_dict


def reload(org):
    return PartyOrganization.objects.get(pk=org.pk)


def move(org, parent):
    return services.organization_update(actor=None, organization=reload(org), parent=parent)


# -- one root --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_first_organization_may_be_the_root():
    root = make_org("根党工委", OrgKind.WORKING_COMMITTEE)
    assert reload(root).depth == 1


def test_a_second_root_is_refused(zone):
    with refused("parent") as excinfo:
        make_org("另一个党工委", OrgKind.WORKING_COMMITTEE)
    assert "测试高新区党工委" in excinfo.value.message_dict["parent"][0]
    assert PartyOrganization.objects.filter(depth=1).count() == 1


def test_an_organization_cannot_be_moved_to_the_root(zone):
    with pytest.raises(ValidationError):
        move(zone.branch_b, None)
    assert reload(zone.branch_b).depth == 2


# -- what may sit under what -----------------------------------------------------------------


@pytest.mark.parametrize("kind", [OrgKind.BRANCH, OrgKind.JOINT_BRANCH, OrgKind.TEMPORARY_BRANCH])
def test_a_party_group_under_any_kind_of_branch_is_allowed(zone, kind):
    branch = make_org("新支部", kind, zone.root)
    group = make_org("新党小组", OrgKind.PARTY_GROUP, branch)
    assert reload(group).path.startswith(branch.path)


@pytest.mark.parametrize("parent_attr", ["root", "committee_a"])
def test_a_party_group_under_a_working_committee_or_committee_is_refused(zone, parent_attr):
    with refused("parent"):
        make_org("党小组", OrgKind.PARTY_GROUP, getattr(zone, parent_attr))


def test_a_party_group_under_a_general_branch_is_refused(zone):
    general = make_org("总支", OrgKind.GENERAL_BRANCH, zone.committee_a)
    with refused("parent"):
        make_org("党小组", OrgKind.PARTY_GROUP, general)


@pytest.mark.parametrize("kind", [OrgKind.PARTY_GROUP, OrgKind.BRANCH, OrgKind.COMMITTEE])
def test_nothing_may_be_placed_under_a_party_group(zone, kind):
    with refused("parent") as excinfo:
        make_org("下级", kind, zone.group_a1)
    assert "党小组" in excinfo.value.message_dict["parent"][0]


@pytest.mark.parametrize(
    ("child", "parent"),
    [
        (OrgKind.COMMITTEE, OrgKind.WORKING_COMMITTEE),
        (OrgKind.GENERAL_BRANCH, OrgKind.WORKING_COMMITTEE),
        (OrgKind.BRANCH, OrgKind.WORKING_COMMITTEE),
        (OrgKind.GENERAL_BRANCH, OrgKind.COMMITTEE),
        (OrgKind.BRANCH, OrgKind.COMMITTEE),
        (OrgKind.JOINT_BRANCH, OrgKind.COMMITTEE),
        (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH),
        (OrgKind.TEMPORARY_BRANCH, OrgKind.GENERAL_BRANCH),
    ],
)
def test_a_lower_rank_under_a_higher_one_is_allowed(zone, child, parent):
    parent_org = {
        OrgKind.WORKING_COMMITTEE: zone.root,
        OrgKind.COMMITTEE: zone.committee_a,
    }.get(parent) or make_org("上级总支", parent, zone.committee_a)
    org = make_org("下级组织", child, parent_org)
    assert reload(org).parent == parent_org


def test_a_committee_may_sit_under_a_committee(zone):
    inner = make_org("二级党委", OrgKind.COMMITTEE, zone.committee_a)
    assert reload(inner).parent == zone.committee_a


@pytest.mark.parametrize(
    ("child", "parent"),
    [
        (OrgKind.WORKING_COMMITTEE, OrgKind.COMMITTEE),
        (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH),
        (OrgKind.GENERAL_BRANCH, OrgKind.GENERAL_BRANCH),
        (OrgKind.COMMITTEE, OrgKind.BRANCH),
        (OrgKind.GENERAL_BRANCH, OrgKind.BRANCH),
        (OrgKind.BRANCH, OrgKind.BRANCH),
        (OrgKind.JOINT_BRANCH, OrgKind.BRANCH),
        (OrgKind.BRANCH, OrgKind.TEMPORARY_BRANCH),
    ],
)
def test_a_same_or_higher_rank_under_an_organization_is_refused(zone, child, parent):
    parent_org = {
        OrgKind.COMMITTEE: zone.committee_a,
        OrgKind.BRANCH: zone.branch_a1,
    }.get(parent) or make_org("上级", parent, zone.committee_a)
    with refused("parent"):
        make_org("下级组织", child, parent_org)
    assert not PartyOrganization.objects.filter(name="下级组织").exists()


def test_moving_an_organization_under_itself_is_refused(zone):
    with refused("parent"):
        move(zone.committee_a, zone.committee_a)


def test_moving_an_organization_under_its_own_descendant_is_refused(zone):
    inner = make_org("二级党委", OrgKind.COMMITTEE, zone.committee_a)
    with refused("parent") as excinfo:
        move(zone.committee_a, inner)
    assert "下级" in excinfo.value.message_dict["parent"][0]
    assert reload(zone.committee_a).parent == zone.root


def test_moving_to_a_parent_that_breaks_the_rank_rule_is_refused(zone):
    with refused("parent"):
        move(zone.branch_b, zone.branch_a1)
    assert reload(zone.branch_b).parent == zone.root


def test_a_new_child_under_a_dissolved_organization_is_refused(zone):
    services.organization_dissolve(actor=None, organization=reload(zone.committee_a), on=D(2024, 6, 30))
    with refused("parent") as excinfo:
        make_org("新支部", OrgKind.BRANCH, reload(zone.committee_a))
    assert "撤销" in excinfo.value.message_dict["parent"][0]


def test_moving_under_a_dissolved_organization_is_refused(zone):
    services.organization_dissolve(actor=None, organization=reload(zone.committee_a), on=D(2024, 6, 30))
    with refused("parent"):
        move(zone.branch_b, reload(zone.committee_a))


def test_a_duplicate_name_among_siblings_is_refused(zone):
    with refused("name") as excinfo:
        make_org("甲一党支部", OrgKind.BRANCH, zone.committee_a)
    assert "同名" in excinfo.value.message_dict["name"][0]


def test_the_same_name_under_another_parent_is_allowed(zone):
    org = make_org("甲一党支部", OrgKind.BRANCH, zone.root)
    assert PartyOrganization.objects.filter(name="甲一党支部").count() == 2
    assert reload(org).parent == zone.root


def test_renaming_to_a_siblings_name_is_refused(zone):
    with refused("name"):
        services.organization_update(actor=None, organization=reload(zone.branch_a2), name="甲一党支部")
    assert reload(zone.branch_a2).name == "甲二党支部"


def test_moving_next_to_a_sibling_of_the_same_name_is_refused(zone):
    twin = make_org("甲一党支部", OrgKind.BRANCH, zone.root)
    with refused("name"):
        move(twin, zone.committee_a)
    assert reload(twin).parent == zone.root


def test_changing_the_kind_against_the_parent_is_refused(zone):
    with pytest.raises(ValidationError):
        services.organization_update(
            actor=None, organization=reload(zone.branch_b), kind=OrgKind.WORKING_COMMITTEE
        )
    assert reload(zone.branch_b).kind == OrgKind.BRANCH


def test_changing_the_kind_so_that_a_child_no_longer_fits_is_refused(zone):
    # 甲一党支部 has a 党小组; a 党总支 cannot have one
    with refused("kind") as excinfo:
        services.organization_update(
            actor=None, organization=reload(zone.branch_a1), kind=OrgKind.GENERAL_BRANCH
        )
    assert "甲一第1党小组" in excinfo.value.message_dict["kind"][0]
    assert reload(zone.branch_a1).kind == OrgKind.BRANCH


def test_changing_a_committee_with_branches_into_a_branch_is_refused(zone):
    with refused("kind"):
        services.organization_update(actor=None, organization=reload(zone.committee_a), kind=OrgKind.BRANCH)
    assert reload(zone.committee_a).kind == OrgKind.COMMITTEE


def test_changing_the_kind_within_the_rules_is_allowed(zone):
    services.organization_update(actor=None, organization=reload(zone.branch_a2), kind=OrgKind.JOINT_BRANCH)
    services.organization_update(actor=None, organization=reload(zone.branch_b), kind=OrgKind.COMMITTEE)
    assert reload(zone.branch_a2).kind == OrgKind.JOINT_BRANCH
    assert reload(zone.branch_b).kind == OrgKind.COMMITTEE


def test_a_root_holding_members_cannot_become_a_working_committee(db):
    root = make_org("根党委", OrgKind.COMMITTEE)
    make_member(root)
    with refused("kind"):
        services.organization_update(actor=None, organization=reload(root), kind=OrgKind.WORKING_COMMITTEE)
    assert reload(root).kind == OrgKind.COMMITTEE


# -- moving a subtree ------------------------------------------------------------------------


@pytest.fixture
def populated(zone):
    """Members and posts in 甲企业党委's subtree and in 乙企业党支部."""
    member_a1 = make_member(zone.branch_a1, party_group=zone.group_a1)
    member_a2 = make_member(zone.branch_a2)
    member_b = make_member(zone.branch_b)
    post_a1 = services.post_create(
        actor=None, name="甲一责任区", kind=PostKind.RESPONSIBILITY_AREA, organization=zone.branch_a1
    )
    post_b = services.post_create(
        actor=None, name="乙示范岗", kind=PostKind.MODEL_POST, organization=zone.branch_b
    )
    return {"a1": member_a1, "a2": member_a2, "b": member_b, "post_a1": post_a1, "post_b": post_b}


def test_moving_a_committee_moves_its_whole_subtree(zone, populated):
    new_parent = make_org("新设党委", OrgKind.COMMITTEE, zone.root)
    move(zone.committee_a, reload(new_parent))
    committee = reload(zone.committee_a)
    assert committee.parent == new_parent
    assert committee.path.startswith(new_parent.path)
    for org in (zone.branch_a1, zone.branch_a2, zone.group_a1):
        assert reload(org).path.startswith(committee.path)
    assert reload(zone.group_a1).parent == reload(zone.branch_a1)
    assert reload(zone.branch_b).path == zone.branch_b.path


def test_moving_an_organization_rewrites_its_members_and_posts_stored_paths(zone, populated):
    new_parent = make_org("新设党委", OrgKind.COMMITTEE, zone.root)
    move(zone.committee_a, reload(new_parent))
    a1, a2 = reload(zone.branch_a1), reload(zone.branch_a2)
    assert a1.path != zone.branch_a1.path
    assert Member.objects.get(pk=populated["a1"].pk).org_path == a1.path
    assert Member.objects.get(pk=populated["a2"].pk).org_path == a2.path
    assert Membership.objects.get(member=populated["a1"]).org_path == a1.path
    assert Membership.objects.get(member=populated["a2"]).org_path == a2.path
    assert Post.objects.get(pk=populated["post_a1"].pk).org_path == a1.path
    # outside the moved subtree nothing changes
    assert Member.objects.get(pk=populated["b"].pk).org_path == zone.branch_b.path
    assert Post.objects.get(pk=populated["post_b"].pk).org_path == zone.branch_b.path


def test_moving_an_organization_rewrites_past_memberships_held_there(zone):
    member = make_member(zone.branch_b)
    member_services.member_transfer(actor=None, member=member, to=zone.branch_a1, on=D(2022, 3, 1))
    move(zone.branch_b, reload(zone.committee_a))
    branch_b = reload(zone.branch_b)
    past = Membership.objects.get(member=member, organization=zone.branch_b)
    assert past.valid_until == D(2022, 2, 28)
    assert past.org_path == branch_b.path
    assert Member.objects.get(pk=member.pk).org_path == zone.branch_a1.path


def test_moving_an_organization_moves_its_enterprise_path(zone):
    new_parent = make_org("新设党委", OrgKind.COMMITTEE, zone.root)
    move(zone.committee_a, reload(new_parent))
    assert Enterprise.objects.get(pk=zone.enterprise_a.pk).org_path == reload(zone.committee_a).path
    move(zone.branch_b, reload(zone.committee_a))
    assert Enterprise.objects.get(pk=zone.enterprise_b.pk).org_path == reload(zone.branch_b).path


def test_a_moved_organization_keeps_its_counts_of_members_held_directly(zone, populated):
    move(zone.branch_b, reload(zone.committee_a))
    branch_b = reload(zone.branch_b)
    assert list(Member.objects.filter(org_path__startswith=reload(zone.committee_a).path).order_by("pk")) == [
        populated["a1"],
        populated["a2"],
        populated["b"],
    ]
    assert Member.objects.get(pk=populated["b"].pk).organization == branch_b


# -- deleting --------------------------------------------------------------------------------


def test_deleting_an_organization_with_children_is_refused(zone):
    with pytest.raises(ValidationError, match="下级组织"):
        services.organization_delete(actor=None, organization=reload(zone.branch_a1))
    assert PartyOrganization.objects.filter(pk=zone.branch_a1.pk).exists()


def test_deleting_an_organization_with_members_is_refused(zone):
    make_member(zone.branch_a2)
    with pytest.raises(ValidationError, match="党员"):
        services.organization_delete(actor=None, organization=reload(zone.branch_a2))
    assert PartyOrganization.objects.filter(pk=zone.branch_a2.pk).exists()


def test_deleting_an_organization_a_member_once_belonged_to_is_refused(zone):
    member = make_member(zone.branch_a2)
    member_services.member_transfer(actor=None, member=member, to=zone.branch_b, on=D(2023, 1, 1))
    with pytest.raises(ValidationError, match="党员"):
        services.organization_delete(actor=None, organization=reload(zone.branch_a2))
    assert PartyOrganization.objects.filter(pk=zone.branch_a2.pk).exists()


def test_deleting_an_organization_with_posts_is_refused(zone):
    services.post_create(actor=None, name="示范岗", kind=PostKind.MODEL_POST, organization=zone.branch_a2)
    with pytest.raises(ValidationError, match="阵地与岗区"):
        services.organization_delete(actor=None, organization=reload(zone.branch_a2))
    assert PartyOrganization.objects.filter(pk=zone.branch_a2.pk).exists()


def test_deleting_an_empty_organization_is_allowed(zone):
    services.organization_delete(actor=None, organization=reload(zone.branch_a2))
    assert not PartyOrganization.objects.filter(pk=zone.branch_a2.pk).exists()
    assert reload(zone.committee_a).numchild == 1


# -- term of office ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "years", "due"),
    [
        (OrgKind.WORKING_COMMITTEE, 5, D(2026, 6, 15)),
        (OrgKind.COMMITTEE, 5, D(2026, 6, 15)),
        (OrgKind.GENERAL_BRANCH, 3, D(2024, 6, 15)),
        (OrgKind.BRANCH, 3, D(2024, 6, 15)),
        (OrgKind.JOINT_BRANCH, 3, D(2024, 6, 15)),
    ],
)
def test_term_is_five_years_for_committees_and_three_for_branches(kind, years, due):
    org = PartyOrganization(name="x", kind=kind, term_started_on=D(2021, 6, 15))
    assert org.term_years == years
    assert org.next_election_due == due


@pytest.mark.parametrize("kind", [OrgKind.TEMPORARY_BRANCH, OrgKind.PARTY_GROUP])
def test_temporary_branches_and_party_groups_have_no_election_due(kind):
    org = PartyOrganization(name="x", kind=kind, term_started_on=D(2021, 6, 15))
    assert org.next_election_due is None


def test_no_term_start_means_no_election_due():
    assert PartyOrganization(name="x", kind=OrgKind.BRANCH).next_election_due is None


@pytest.mark.parametrize(
    ("kind", "due"),
    [(OrgKind.BRANCH, D(2023, 2, 28)), (OrgKind.COMMITTEE, D(2025, 2, 28))],
)
def test_a_term_started_on_29_february_is_due_on_28_february(kind, due):
    org = PartyOrganization(name="x", kind=kind, term_started_on=D(2020, 2, 29))
    assert org.next_election_due == due


def test_next_election_due_is_stored_with_the_organization(zone):
    services.organization_update(
        actor=None, organization=reload(zone.committee_a), term_started_on=D(2022, 4, 1)
    )
    assert reload(zone.committee_a).next_election_due == D(2027, 4, 1)


def test_a_term_cannot_start_before_the_organization_was_founded(zone):
    with pytest.raises(ValidationError) as excinfo:
        services.organization_update(
            actor=None,
            organization=reload(zone.branch_a2),
            founded_on=D(2020, 1, 1),
            term_started_on=D(2019, 12, 31),
        )
    assert "term_started_on" in excinfo.value.message_dict


def test_the_enterprise_is_linked_when_the_new_organization_names_it(zone):
    enterprise = make_enterprise("丙企业")
    org = make_org("丙企业党支部", OrgKind.BRANCH, zone.root, unit_name="丙企业")
    assert reload(org).unit_enterprise == enterprise
    assert Enterprise.objects.get(pk=enterprise.pk).org_path == reload(org).path
