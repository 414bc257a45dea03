import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dangjian.accounts.models import User
from dangjian.accounts.passwords import password_change_reason
from dangjian.accounts.roles import BUILTIN_ROLES
from dangjian.core.indicators import Period, compute
from dangjian.core.second_factor import check_code, secret_base32, totp_device
from dangjian.members.models import Member
from dangjian.organizations.models import OrgKind, PartyOrganization
from dangjian.site.demo import DEMO_TOTP_SECRETS
from dangjian.testing.second_factor import current_code


@pytest.mark.django_db
def test_demo_zone_is_modelled_on_the_seed_article_with_one_login_per_role(demo_zone, capsys):
    out = demo_zone  # what `load_demo` printed
    assert "Dangjian@2026" in out and "zone_admin" in out
    # the administrators' authenticators, with their fixed secrets, printed for an authenticator app
    for username, secret in DEMO_TOTP_SECRETS.items():
        user = User.objects.get(username=username)
        device = totp_device(user)
        assert secret_base32(device).replace(" ", "") == secret
        assert secret_base32(device) in out and device.config_url in out
        # the next step's code of an app holding the printed secret lets the administrator in
        assert check_code(user, current_code(device, steps=1)) == device
    assert not totp_device(User.objects.get(username="leader"))

    root = PartyOrganization.objects.get(depth=1)
    assert root.name == "商洛高新区党工委"
    xiangju = PartyOrganization.objects.get(name="陕西香菊药业集团党委")
    assert (
        PartyOrganization.objects.filter(path__startswith=xiangju.path, kind=OrgKind.PARTY_GROUP).count()
        == 16
    )
    assert PartyOrganization.objects.filter(name="陕西天士力植物药业有限责任公司党支部").exists()
    assert PartyOrganization.objects.filter(kind=OrgKind.TEMPORARY_BRANCH).exists()
    assert 200 <= Member.objects.count() <= 500
    period = Period.year(2025)
    assert compute("posts.responsibility_areas", period=period, scope=xiangju).value == 14
    assert compute("posts.model_posts", period=period, scope=xiangju).value == 31

    roles = set(User.objects.filter(grants__isnull=False).values_list("grants__role__code", flat=True))
    # every built-in role has a demo login, so a newcomer can sign in as each of them
    assert roles == set(BUILTIN_ROLES)
    assert "investment_staff" in roles

    # a newcomer signs in as every role: no demo login is due for a password change
    logins = [user for user in User.objects.all() if user.has_usable_password()]
    assert {"zone_admin", "sysadmin", "secadmin", "auditor", "cadre"} <= {u.username for u in logins}
    assert [u.username for u in logins if password_change_reason(u)] == []

    with pytest.raises(CommandError):
        call_command("load_demo")
    call_command("load_demo", "--if-empty")
    assert "跳过" in capsys.readouterr().out
    assert PartyOrganization.objects.filter(depth=1).count() == 1
