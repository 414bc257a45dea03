"""The site's error pages, in Chinese and in its look, with a way back: the back office's home
for a user of it, the portal's for an enterprise contact, the sign-in page for a visitor."""

from django.shortcuts import render

from dangjian.accounts.backends import active_grants

PAGES = {
    400: ("请求有误", "提交的内容无法处理，请检查后重新提交。"),
    403: ("没有权限", "您没有执行该操作或查看该页面的权限。如需开通，请联系安全管理员。"),
    404: ("页面不存在", "您要找的页面或记录不存在，或超出您的数据授权范围。"),
    500: ("系统出错", "系统处理时出错，已记录在案。请稍后再试；如仍有问题，请联系系统管理员。"),
}


def _home(request) -> str:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "/admin/login/"
    if any(g.role.code == "enterprise_contact" for g in active_grants(user)):
        return "/portal/"
    return "/admin/"


def _page(request, code, exception=None):
    title, message = PAGES[code]
    reason = str(exception) if exception is not None and code in (403, 404) else ""
    if reason and any("\u4e00" <= ch <= "\u9fff" for ch in reason):  # a reason of ours, in Chinese
        message = reason
    context = {"code": code, "title": title, "message": message, "home": _home(request)}
    return render(request, "errors/page.html", context, status=code)


def bad_request(request, exception=None):
    return _page(request, 400, exception)


def permission_denied(request, exception=None):
    return _page(request, 403, exception)


def page_not_found(request, exception=None):
    return _page(request, 404, exception)


def server_error(request):
    # no request-dependent lookups that could fail again: a plain page
    title, message = PAGES[500]
    return render(
        request,
        "errors/page.html",
        {"code": 500, "title": title, "message": message, "home": "/"},
        status=500,
    )
