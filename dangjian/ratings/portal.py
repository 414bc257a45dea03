"""本企业党组织星级: in the enterprise portal, the named stars of the contact's enterprise's
party organizations, each with its history (year, stars, score, rubric version)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from dangjian.servicedesk.portal import contact_enterprise

from .selectors import enterprise_stars


@login_required(login_url="portal-login")
def stars(request):
    enterprise, enterprises = contact_enterprise(request)
    return render(
        request,
        "portal/ratings_stars.html",
        {
            "enterprise": enterprise,
            "enterprises": enterprises,
            "organizations": enterprise_stars(user=request.user, enterprise=enterprise),
        },
    )
