"""Enterprise rules: GB 32100 credit codes, contact phones, configurable clusters, and which
party organization an enterprise belongs to."""

from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError

from dangjian.core.testing.codes import make_credit_code
from dangjian.core.validators import credit_check_char, normalize_credit_code, normalize_phone
from dangjian.enterprises import services
from dangjian.enterprises.models import Enterprise, IndustryCluster
from dangjian.organizations import services as org_services
from dangjian.organizations.models import OrgKind, PartyOrganization
from dangjian.testing.factories import make_enterprise, make_org


@contextmanager
def refused(field):
    with pytest.raises(ValidationError) as excinfo:
        yield excinfo
    assert field in excinfo.value.message_dict, excinfo.value.message_dict


def org_path_of(enterprise):
    return Enterprise.objects.get(pk=enterprise.pk).org_path


def reload(org):
    return PartyOrganization.objects.get(pk=org.pk)


# -- GB 32100 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L"])
def test_valid_credit_codes_are_accepted(code):
    assert credit_check_char(code[:17]) == code[17]
    assert normalize_credit_code(code) == code


def test_a_wrong_check_character_is_refused():
    with pytest.raises(ValidationError, match="校验码"):
        normalize_credit_code("91350100M000100Y44")


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_letters_i_o_s_v_z_are_forbidden(letter):
    code = "91350100M000100Y4" + letter
    with pytest.raises(ValidationError) as excinfo:
        normalize_credit_code(code)
    assert letter in excinfo.value.messages[0]
    assert "不使用" in excinfo.value.messages[0]


@pytest.mark.parametrize("code", ["91350100M000100Y4", "91350100M000100Y433", ""])
def test_a_credit_code_of_the_wrong_length_is_refused(code):
    with pytest.raises(ValidationError, match="18 位"):
        normalize_credit_code(code)


def test_a_credit_code_in_lower_case_or_full_width_is_normalized():
    assert normalize_credit_code("91350100m000100y43") == "91350100M000100Y43"
    assert normalize_credit_code("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"


def test_an_enterprise_with_an_invalid_credit_code_is_refused(db):
    with refused("credit_code"):
        make_enterprise("坏代码企业", credit_code="91350100M000100Y44")
    assert not Enterprise.objects.exists()


def test_an_enterprise_is_stored_with_the_normalized_credit_code(db):
    enterprise = make_enterprise("好代码企业", credit_code="91350100m000100y43")
    assert Enterprise.objects.get(pk=enterprise.pk).credit_code == "91350100M000100Y43"


def test_a_duplicate_credit_code_is_refused(db):
    make_enterprise("甲", credit_code="91350100M000100Y43")
    with refused("credit_code"):
        make_enterprise("乙", credit_code="91350100m000100y43")
    assert Enterprise.objects.count() == 1


def test_the_test_factory_makes_valid_codes():
    for seq in (1, 104729, 31**5):
        code = make_credit_code(seq)
        assert normalize_credit_code(code) == code


# -- contact phone --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("13912345678", "13912345678"),
        ("+86 139 1234 5678", "13912345678"),
        ("0914-2345678", "0914-2345678"),
        ("029-87654321", "029-87654321"),
        ("0914-2345678转123", "0914-2345678-123"),
        ("400-123-4567", "400-123-4567"),
    ],
)
def test_a_contact_phone_may_be_a_mobile_or_a_landline(db, given, stored):
    assert normalize_phone(given) == stored
    enterprise = make_enterprise("有电话企业", contact_phone=given)
    assert Enterprise.objects.get(pk=enterprise.pk).contact_phone == stored


@pytest.mark.parametrize("given", ["12345", "1391234567", "23912345678", "电话号码", "0914-0345678"])
def test_a_contact_phone_that_is_neither_is_refused(db, given):
    with refused("contact_phone") as excinfo:
        make_enterprise("错电话企业", contact_phone=given)
    assert "手机号码或固定电话" in excinfo.value.message_dict["contact_phone"][0]


# -- clusters -------------------------------------------------------------------------------------


def test_the_default_clusters_are_data(db):
    names = set(IndustryCluster.objects.values_list("name", flat=True))
    assert {"新材料", "生物医药", "新能源"} <= names


def test_a_cluster_added_in_the_database_is_accepted(db):
    IndustryCluster.objects.create(name="人工智能", sort_order=99)
    enterprise = make_enterprise("智能企业", cluster="人工智能")
    assert Enterprise.objects.get(pk=enterprise.pk).cluster.name == "人工智能"


# -- the enterprise's party organization ----------------------------------------------------------


def test_an_enterprise_belongs_to_its_highest_party_organization(zone):
    # 甲企业党委 and both its branches name 甲企业; the committee is the highest
    assert org_path_of(zone.enterprise_a) == zone.committee_a.path
    assert org_path_of(zone.enterprise_b) == zone.branch_b.path


def test_an_enterprise_without_a_party_organization_has_no_path(zone):
    enterprise = make_enterprise("无党组织企业")
    assert org_path_of(enterprise) == ""


def test_an_organization_created_higher_up_becomes_the_enterprises_organization(zone):
    enterprise = make_enterprise("丙企业")
    branch = make_org("丙企业党支部", OrgKind.BRANCH, zone.committee_a, unit_name="丙企业")
    assert org_path_of(enterprise) == reload(branch).path
    committee = make_org("丙企业党委", OrgKind.COMMITTEE, zone.root, unit_name="丙企业")
    assert org_path_of(enterprise) == reload(committee).path


def test_an_enterprise_created_after_its_organization_names_it_is_linked(zone):
    branch = make_org("丁企业党支部", OrgKind.BRANCH, zone.root, unit_name="丁企业")
    assert reload(branch).unit_enterprise is None
    enterprise = make_enterprise("丁企业")
    assert reload(branch).unit_enterprise == enterprise
    assert org_path_of(enterprise) == reload(branch).path


def test_renaming_an_enterprise_to_the_name_an_organization_gives_links_them(zone):
    branch = make_org("戊企业党支部", OrgKind.BRANCH, zone.root, unit_name="戊企业")
    enterprise = make_enterprise("戊企业有限公司")
    assert org_path_of(enterprise) == ""
    services.enterprise_update(actor=None, enterprise=enterprise, name="戊企业")
    assert org_path_of(enterprise) == reload(branch).path


def test_moving_the_organization_moves_the_enterprises_path(zone):
    other = make_org("新设党委", OrgKind.COMMITTEE, zone.root)
    org_services.organization_update(actor=None, organization=reload(zone.branch_b), parent=other)
    assert org_path_of(zone.enterprise_b) == reload(zone.branch_b).path
    assert org_path_of(zone.enterprise_b).startswith(other.path)
    org_services.organization_update(actor=None, organization=reload(zone.committee_a), parent=reload(other))
    assert org_path_of(zone.enterprise_a) == reload(zone.committee_a).path


def test_moving_a_lower_organization_above_the_highest_one_changes_the_enterprises_organization(zone):
    enterprise = make_enterprise("己企业")
    top = make_org("己企业党支部", OrgKind.BRANCH, zone.committee_a, unit_name="己企业")
    middle = make_org("己企业党总支", OrgKind.GENERAL_BRANCH, zone.committee_a)
    deep = make_org("己企业二支部", OrgKind.BRANCH, middle, unit_name="己企业")
    assert org_path_of(enterprise) == reload(top).path
    org_services.organization_update(actor=None, organization=reload(deep), parent=zone.root)
    assert reload(deep).depth == 2
    assert org_path_of(enterprise) == reload(deep).path


def test_deleting_the_highest_organization_falls_back_to_the_next(zone):
    enterprise = make_enterprise("庚企业")
    high = make_org("庚企业党支部", OrgKind.BRANCH, zone.root, unit_name="庚企业")
    low = make_org("庚企业二支部", OrgKind.BRANCH, zone.committee_a, unit_name="庚企业")
    assert org_path_of(enterprise) == reload(high).path
    org_services.organization_delete(actor=None, organization=reload(high))
    assert org_path_of(enterprise) == reload(low).path
    org_services.organization_delete(actor=None, organization=reload(low))
    assert org_path_of(enterprise) == ""


def test_changing_an_organizations_unit_moves_the_enterprise(zone):
    enterprise = make_enterprise("辛企业")
    org_services.organization_update(actor=None, organization=reload(zone.branch_b), unit_name="辛企业")
    assert org_path_of(enterprise) == zone.branch_b.path
    assert org_path_of(zone.enterprise_b) == ""


def test_a_unit_name_shared_by_two_enterprises_links_to_neither(zone):
    first = make_enterprise("同名企业")
    second = make_enterprise("同名企业")
    branch = make_org("同名企业党支部", OrgKind.BRANCH, zone.root, unit_name="同名企业")
    assert reload(branch).unit_enterprise is None
    assert org_path_of(first) == org_path_of(second) == ""


def test_renaming_an_enterprise_keeps_its_organizations_linked(zone):
    services.enterprise_update(actor=None, enterprise=zone.enterprise_b, name="乙企业有限公司")
    assert reload(zone.branch_b).unit_name == "乙企业有限公司"
    # a later edit of the organization must not drop the link
    org_services.organization_update(actor=None, organization=reload(zone.branch_b), standardized=True)
    assert reload(zone.branch_b).unit_enterprise == zone.enterprise_b
    assert org_path_of(zone.enterprise_b) == zone.branch_b.path
