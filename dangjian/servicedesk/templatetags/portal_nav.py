"""The portal navigation's links to other apps' pages (servicedesk.portal_links)."""

from django import template
from django.urls import NoReverseMatch, reverse

from dangjian.servicedesk.portal_links import PORTAL_LINKS

register = template.Library()


@register.simple_tag
def portal_links():
    """[(label, url)] of the registered pages whose URL resolves (their app is installed)."""
    links = []
    for label, url_name in PORTAL_LINKS:
        try:
            links.append((label, reverse(url_name)))
        except NoReverseMatch:
            continue
    return links
