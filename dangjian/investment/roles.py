"""What the built-in roles may do with investment records: the zone keeps them and the leader
reads them, zone-wide; a team member (招商人员) works on their team's events and projects."""

from dangjian.accounts.roles import CRUD, VIEW, role_permissions, zone_wide

zone_wide(
    {
        "investment.team": CRUD,
        "investment.investmentperson": CRUD,
        "investment.investmentevent": CRUD,
        "investment.investmentproject": CRUD,
        "investment.annualtarget": CRUD,
    },
    module=__name__,
)
role_permissions("zone_admin", extra=["investment.carry_investmentproject"], module=__name__)
role_permissions(
    "investment_staff",
    {
        "investment.team": VIEW,
        "investment.investmentperson": VIEW,
        "investment.investmentevent": ("view", "add", "change"),
        "investment.investmentproject": ("view", "add", "change"),
    },
    module=__name__,
)
