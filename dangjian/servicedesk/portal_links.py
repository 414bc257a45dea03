"""Other apps' pages in the enterprise portal's navigation: (label, URL name), each added by its
app's urls.py with `portal_link`; the navigation (templatetags/portal_nav.py) shows those whose
URL resolves, so an app that is not installed adds nothing."""

PORTAL_LINKS: list[tuple[str, str]] = []


def portal_link(label: str, url_name: str):
    if (label, url_name) not in PORTAL_LINKS:
        PORTAL_LINKS.append((label, url_name))
