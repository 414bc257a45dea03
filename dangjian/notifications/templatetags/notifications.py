from django import template
from django.urls import reverse

from ..services import unread_count

register = template.Library()


@register.inclusion_tag("notifications/bell.html", takes_context=True)
def notification_bell(context):
    """The bell of the back office's header: the signed-in user's unread messages."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"shown": False}
    count = unread_count(user)
    return {
        "shown": True,
        "count": count,
        "count_text": "99+" if count > 99 else str(count),
        "url": reverse("admin:notifications_notification_changelist"),
    }
