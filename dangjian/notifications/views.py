"""Opening a message (it becomes read and leads to its record) and marking them all read: for
the back office's list and the enterprise portal alike, each user only their own messages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import services

LIST = "admin:notifications_notification_changelist"


def _safe(request, url):
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


@login_required
def open_message(request, pk):
    message = get_object_or_404(services.inbox(request.user), pk=pk)
    services.mark_read(actor=request.user, notification=message)
    return redirect(message.url if _safe(request, message.url) else reverse(LIST))


@login_required
@require_POST
def read_all(request):
    count = services.mark_all_read(actor=request.user)
    messages.success(request, f"已将 {count} 条消息标为已读" if count else "没有未读消息")
    back = request.POST.get("next", "")
    return redirect(back if _safe(request, back) else reverse(LIST))
