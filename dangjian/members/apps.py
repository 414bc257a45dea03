from django.apps import AppConfig


def _holds_members(organization):
    """An organization whose kind may not hold members (党工委, 党小组) cannot become one while
    members are in it."""
    from django.core.exceptions import ValidationError

    from .models import Member

    if (
        not organization.can_hold_members
        and Member.objects.filter(organization=organization, left_on__isnull=True).exists()
    ):
        label = organization.get_kind_display()
        raise ValidationError({"kind": f"“{organization.name}”还有党员，{label}不能直接管理党员"})


def _has_memberships(organization):
    from .models import Membership

    if Membership.objects.filter(organization=organization).exists():
        return "党员（含历史组织关系）"
    return None


class MembersConfig(AppConfig):
    name = "dangjian.members"
    label = "members"
    verbose_name = "党员"

    def ready(self):
        from dangjian.organizations.services import register_delete_blocker, register_kind_check

        register_kind_check(_holds_members)
        register_delete_blocker(_has_memberships)
