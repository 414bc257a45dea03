"""What each app contributes to the site, collected without core knowing any app.

An app registers its pieces in its own modules, which are found by name in every installed
app (`discover`): ledgers in `ledgers.py`, figures in `indicators.py`, sidebar entries in
`admin.py`, API routes in `api.py`, demo loaders in `demo.py`, organization warnings in
`warnings.py`. The composition root (`dangjian.site`) asks here for what to assemble. Each
contribution remembers its app, so only the apps installed now are assembled (a test that
installs an extra app sees its pieces; once the app is gone, so are they).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.utils.module_loading import autodiscover_modules

_discovered: set = set()


def discover(module_name: str):
    """Import `<app>.<module_name>` of every installed app (once for each set of apps)."""
    key = (module_name, tuple(apps.app_configs))
    if key not in _discovered:
        autodiscover_modules(module_name)
        _discovered.add(key)


def app_label_of(module: str) -> str:
    """The label of the installed app that `module` (a dotted name) belongs to."""
    config = apps.get_containing_app_config(module)
    if config is None:
        raise LookupError(f"{module} is not part of an installed app")
    return config.label


def installed(items):
    """The contributions whose app is installed now."""
    labels = {config.label for config in apps.get_app_configs()}
    return [item for item in items if item.app in labels]


# -- sidebar ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NavSection:
    """A group of the sidebar, declared by the app that owns it; other apps may add items."""

    key: str
    title: str
    order: int
    collapsible: bool = True
    app: str = ""


@dataclass(frozen=True)
class NavItem:
    """One sidebar entry: shown to a user holding any of `permissions` (or for whom `visible`
    says so); `url` is a URL name."""

    section: str
    title: str
    icon: str
    url: str
    permissions: tuple = ()
    visible: Callable | None = None
    order: int = 0
    app: str = ""

    def shown_to(self, user) -> bool:
        if self.visible is not None:
            return bool(self.visible(user))
        return not self.permissions or any(user.has_perm(p) for p in self.permissions)


_sections: dict[str, NavSection] = {}
_items: list[NavItem] = []


def nav_section(key: str, title: str, *, order: int, collapsible: bool = True, module: str):
    _sections[key] = NavSection(key, title, order, collapsible, app_label_of(module))


def nav_items(section: str, *items: dict, module: str):
    """Entries of `section`, each a dict of NavItem's fields (title, icon, url, permissions,
    visible, order); entries without an order follow in the order given."""
    app = app_label_of(module)
    for position, item in enumerate(items):
        item = {"order": position, **item}
        if isinstance(item.get("permissions"), str):
            item["permissions"] = (item["permissions"],)
        entry = NavItem(section=section, app=app, **item)
        # an app's admin module may be imported again (a test reloading it): replace, not repeat
        _items[:] = [i for i in _items if (i.app, i.section, i.url) != (app, section, entry.url)]
        _items.append(entry)


def navigation() -> list[tuple[NavSection, list[NavItem]]]:
    """The sidebar's sections in order, each with its items in order (empty sections left out)."""
    discover("admin")
    sections = sorted(installed(_sections.values()), key=lambda s: (s.order, s.key))
    items = installed(_items)
    result = []
    for section in sections:
        entries = sorted((i for i in items if i.section == section.key), key=lambda i: i.order)
        if entries:
            result.append((section, entries))
    return result


# -- API ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ApiRoute:
    prefix: str
    viewset: type
    basename: str
    app: str = ""


_routes: dict[str, ApiRoute] = {}


def api_route(prefix: str, viewset, *, basename: str):
    """A REST resource under /api/v1/<prefix>/, registered in the app's api.py."""
    _routes[prefix] = ApiRoute(prefix, viewset, basename, app_label_of(viewset.__module__))


def api_routes() -> list[ApiRoute]:
    discover("api")
    order = {config.label: index for index, config in enumerate(apps.get_app_configs())}
    position = {prefix: index for index, prefix in enumerate(_routes)}
    return sorted(installed(_routes.values()), key=lambda r: (order[r.app], position[r.prefix]))


# -- demo zone ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class DemoLoader:
    """Loads an app's part of the demo zone into the shared `DemoContext`; loaders run by
    `order` (an app's loader comes after those of the apps its records refer to)."""

    name: str
    load: Callable
    order: int
    logins: tuple = ()  # (order, username, what the login shows) of the demo accounts it makes
    app: str = ""


_demo_loaders: dict[str, DemoLoader] = {}


def demo_loader(*, order: int, logins=()):
    def decorator(func):
        app = app_label_of(func.__module__)
        _demo_loaders[f"{func.__module__}.{func.__name__}"] = DemoLoader(
            func.__name__, func, order, tuple(logins), app
        )
        return func

    return decorator


def demo_loaders() -> list[DemoLoader]:
    discover("demo")
    return sorted(installed(_demo_loaders.values()), key=lambda d: (d.order, d.app))


def demo_logins() -> list[tuple[str, str]]:
    """(username, description) of every demo account, in the order they are listed."""
    logins = [login for loader in demo_loaders() for login in loader.logins]
    return [(username, text) for _, username, text in sorted(logins, key=lambda login: login[0])]


# -- to-do lists --------------------------------------------------------------------------------
@dataclass(frozen=True)
class TodoItem:
    """One thing a user has to do, with the page where it is done."""

    title: str
    url: str
    due: object = None  # datetime.date or None
    overdue: bool = False


@dataclass(frozen=True)
class TodoGroup:
    """What a source found for a user: the first items (due first) and how many there are in all,
    with the page that lists them all."""

    title: str
    items: tuple
    total: int
    more_url: str = ""


@dataclass(frozen=True)
class TodoSource:
    key: str
    title: str
    find: Callable  # (user, today, limit) -> (total, items, more_url) or None when not the user's
    order: int
    app: str = ""


_todo_sources: dict[str, TodoSource] = {}


def todo_source(key: str, title: str, *, order: int):
    """A kind of to-do (in an app's todos.py): the function gets the user, today and how many
    items to show, and returns (total, items, more_url), or None when the kind is not the user's
    work (no permission, not a cadre); it reads through the user's scope."""

    def decorator(func):
        _todo_sources[key] = TodoSource(key, title, func, order, app_label_of(func.__module__))
        return func

    return decorator


def todo_sources() -> list[TodoSource]:
    discover("todos")
    return sorted(installed(_todo_sources.values()), key=lambda s: (s.order, s.key))


def todos(user, today, limit: int = 5) -> list[TodoGroup]:
    """The user's 我的待办: each kind that has something, in order, overdue and earliest first."""
    groups = []
    for source in todo_sources():
        found = source.find(user, today, limit)
        if not found:
            continue
        total, items, more_url = found
        if total:
            ordered = sorted(items, key=lambda i: (not i.overdue, i.due is None, i.due or today))
            groups.append(TodoGroup(source.title, tuple(ordered[:limit]), total, more_url))
    return groups


# -- records of other apps on a change page ------------------------------------------------------
@dataclass(frozen=True)
class ChangePanel:
    """A table on the change page of a record of `model` (an app label and model name,
    "enterprises.enterprise"): records of another app that belong to it. `rows(request, obj)`
    returns (headers, rows) read through the user's scope, or None to leave the panel out (the
    user may not see those records); a cell that is a record is shown as a link to its page when
    the user may open it."""

    model: str
    title: str
    rows: Callable
    order: int = 0
    app: str = ""


_change_panels: list[ChangePanel] = []


def change_panel(model_label: str, *, title: str, rows: Callable, order: int = 0, module: str):
    """Show records of the calling app on the change page of `model_label`'s records (registered
    in the app's admin module, so a lower app's page shows what a higher one knows of it)."""
    app = app_label_of(module)
    panel = ChangePanel(model_label.lower(), title, rows, order, app)
    # an admin module imported again (a test reloading it) replaces its panels, not repeats them
    _change_panels[:] = [
        p for p in _change_panels if (p.app, p.model, p.title) != (app, panel.model, panel.title)
    ]
    _change_panels.append(panel)


def change_panels(model_label: str) -> list[ChangePanel]:
    """The panels of the installed apps for `model_label`'s change page, in order."""
    discover("admin")
    label = model_label.lower()
    return sorted(
        (p for p in installed(_change_panels) if p.model == label), key=lambda p: (p.order, p.app, p.title)
    )
