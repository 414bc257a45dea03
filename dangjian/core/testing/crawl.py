"""Walking the pages a user is shown, as they would click: from a start page, every same-site link
on every page reached, a few of each kind (ids and query values count as one kind)."""

import re
from urllib.parse import urljoin, urlsplit

LINK = re.compile(r"""href=["']([^"'#]+)["']""")
# not followed: signing out, files and machine endpoints, and browser-only links
SKIP = re.compile(r"^/(static|media|api)/|/logout/|^javascript:|^mailto:|^tel:|/jsi18n/")


def _kind(url: str) -> str:
    parts = urlsplit(url)
    query = ",".join(sorted(key.split("=")[0] for key in parts.query.split("&") if key))
    return re.sub(r"\d+", "N", parts.path) + ("?" + query if query else "")


def crawl(client, start: str, *, per_kind: int = 2, limit: int = 300, check=None):
    """{url: problem} for the pages reachable from `start` that answer an error (4xx/5xx) or for
    which `check(url, html)` returns a problem; `limit` pages at most."""
    queue, seen, kinds, problems = [start], set(), {}, {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302):
            target = urljoin(url, response["Location"])
            if urlsplit(target).netloc in ("", "testserver"):
                queue.append(urlsplit(target)._replace(scheme="", netloc="").geturl())
            continue
        if response.status_code >= 400:
            problems[url] = response.status_code
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        problem = check(url, page) if check else None
        if problem:
            problems[url] = problem
        for href in LINK.findall(page):
            if re.match(r"^[a-z]+:", href) and not href.startswith(("http:", "https:")):
                continue  # tel:, mailto:, javascript:
            href = urljoin(url, href.replace("&amp;", "&"))
            parts = urlsplit(href)
            if parts.netloc not in ("", "testserver"):
                continue
            local = parts._replace(scheme="", netloc="", fragment="").geturl()
            if SKIP.search(local) or local in seen:
                continue
            kind = _kind(local)
            if kinds.get(kind, 0) >= per_kind:
                continue
            kinds[kind] = kinds.get(kind, 0) + 1
            queue.append(local)
    return problems
