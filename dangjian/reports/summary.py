"""The yearly summary (综述) in Word, from the records: a docxtpl template whose placeholders are
indicator codes (`{{ investment.events }}`, `{{ investment.funds_in_place.text }}`), with
conditions (`{% if activities.entrepreneur_forums %}…{% endif %}`: a sentence left out when its
figure has no value) and loops (`{% for p in platform_mix %}`), the charts as pictures, and the
appendix 指标一览 of every registered figure with its code. The office edits the wording in Word and
uploads the template; a template naming a code the registry does not know is refused, naming it.

Everything is computed through the registry for the year and the scope as the asking user may see
it, so each number in the document is the one the system opens as its records."""

import datetime
import io

from django.core.exceptions import ValidationError
from django.utils import timezone
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, TemplateSyntaxError, meta, nodes

from dangjian.core.documents import chinese_date
from dangjian.core.indicators import Period, all_indicators
from dangjian.organizations.models import PartyOrganization

from . import charts
from .figures import CHART_STEPS, figure, report_figures

# names a template may use besides the figures' codes
NAMES = {
    "year": "年份",
    "scope_name": "范围（组织名称）",
    "issuer": "落款单位",
    "issued_on": "成文日期",
    "figures": "全部指标（附表用）",
    "charts": "图表",
    "platform_mix": "创新平台按类型和级别（列表）",
    "problems_by_source": "解决问题按来源（列表）",
    "stars": "评星结果按星级（列表）",
}
FIGURE_ATTRIBUTES = {"text", "value", "number", "name", "unit", "code", "shown", "shown_unit"}
ITEM_ATTRIBUTES = {"label", "figure"}


def known_codes() -> dict[str, set[str]]:
    """The registered codes by their first part: {"members": {"total", …}, …}."""
    found: dict[str, set[str]] = {}
    for indicator in all_indicators():
        prefix, _, name = indicator.code.partition(".")
        found.setdefault(prefix, set()).add(name)
    return found


# -- the template --------------------------------------------------------------------------------
def template_source(data: bytes) -> str:
    """The Jinja source of a .docx template: its body, headers and footers as docxtpl reads them."""
    try:
        template = DocxTemplate(io.BytesIO(data))
        template.init_docx()
    except Exception:  # not a Word file: python-docx says so in English
        raise ValidationError("模板不是有效的 Word 文件（.docx）") from None
    source = template.patch_xml(template.get_xml())
    for uri in (template.HEADER_URI, template.FOOTER_URI):
        for relation in template.docx._part.rels.values():
            if relation.reltype == uri and relation.target_part.blob:
                source += template.patch_xml(relation.target_part.blob.decode("utf-8"))
    return source


def unknown_names(source: str) -> list[str]:
    """The codes and names a template's source uses that the registry and the summary do not
    know, in the order they first appear."""
    try:
        tree = Environment().parse(source)
    except TemplateSyntaxError as exc:
        raise ValidationError(f"模板的占位符写法有误（{exc.message}）") from None
    codes = known_codes()
    undeclared = meta.find_undeclared_variables(tree)
    unknown: list[str] = []

    def note(name):
        if name not in unknown:
            unknown.append(name)

    for name in sorted(undeclared - set(codes) - set(NAMES)):
        note(name)
    for node in tree.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name) and node.node.name in codes and node.node.name in undeclared:
            if node.attr not in codes[node.node.name]:
                note(f"{node.node.name}.{node.attr}")
    for node in tree.find_all(nodes.Getattr):
        inner = node.node
        if (
            isinstance(inner, nodes.Getattr)
            and isinstance(inner.node, nodes.Name)
            and inner.node.name in codes
            and node.attr not in FIGURE_ATTRIBUTES
        ):
            note(f"{inner.node.name}.{inner.attr}.{node.attr}")
    return unknown


def check_template(data: bytes):
    """Refuse a template whose placeholders name a code or name nobody knows (the codes named)."""
    unknown = unknown_names(template_source(data))
    if unknown:
        raise ValidationError(
            f"模板中有未登记的指标代码或名称：{'、'.join(unknown)}（指标代码见附表“指标一览”或“指标”页）"
        )


# -- the context ---------------------------------------------------------------------------------
def scope_name(scope) -> str:
    if scope is not None:
        return scope.name
    # zone-wide on purpose: the zone's root names the whole installation's summary
    root = PartyOrganization.objects.filter(depth=1).order_by("path").first()
    return root.name if root else "本区"


def _breakdown(code, choices, *, period, scope, user, today, filter_name):
    items = []
    for label in choices:
        value = figure(code, period=period, scope=scope, user=user, today=today, **{filter_name: label})
        if value:
            items.append({"label": label, "figure": value})
    return items


def platform_mix(*, period, scope, user, today):
    from dangjian.core.indicators import get

    get("platforms.count")  # the talent app's figure; a zone without it has no mix
    from dangjian.talent.models import PlatformKind, PlatformLevel

    items = []
    for level in PlatformLevel:
        for kind in PlatformKind:
            value = figure(
                "platforms.count",
                period=period,
                scope=scope,
                user=user,
                today=today,
                平台类型=kind.label,
                级别=level.label,
            )
            if value:
                items.append({"label": f"{level.label}{kind.label}", "figure": value})
    return items


def summary_context(
    template: DocxTemplate, *, year: int, scope=None, user=None, today=None, progress=None
) -> dict:
    period = Period.year(year)
    figures = report_figures(period=period, scope=scope, user=user, today=today, progress=progress)
    steps = len(figures)

    def step(count=1):
        nonlocal steps
        steps += count
        if progress is not None:
            progress(steps, total=len(figures) + CHART_STEPS)

    context: dict = {}
    for code, value in figures.items():
        prefix, _, name = code.partition(".")
        context.setdefault(prefix, {})[name] = value
    options = {"period": period, "scope": scope, "user": user, "today": today}
    codes = known_codes()
    breakdowns = {
        "platform_mix": platform_mix(**options) if "platforms" in codes else [],
        "problems_by_source": _problem_sources(options) if "problems" in codes else [],
        "stars": _stars(options) if "ratings" in codes else [],
    }
    step(3)
    drawn = charts.summary_charts(**options)
    step(CHART_STEPS - 3)
    context.update(
        year=year,
        scope_name=scope_name(scope),
        issuer=scope_name(None),
        issued_on=chinese_date(today or timezone.localdate()),
        figures=list(figures.values()),
        charts={name: InlineImage(template, io.BytesIO(png), width=Mm(150)) for name, png in drawn.items()},
        **breakdowns,
    )
    return context


def _problem_sources(options):
    from dangjian.projects.models import ProblemSource

    return _breakdown("problems.solved", ProblemSource.labels, filter_name="问题来源", **options)


def _stars(options):
    return _breakdown(
        "ratings.rated", ["五星级", "四星级", "三星级", "二星级", "一星级"], filter_name="星级", **options
    )


# -- the document --------------------------------------------------------------------------------
def summary_document(
    *, year: int, scope=None, user=None, template: bytes | None = None, today=None, progress=None
) -> bytes:
    """The year's summary for `scope` (None: the whole zone) as `user` may see it, written with
    `template` (the office's, or the default one)."""
    from .default_template import default_template

    data = template or default_template()
    check_template(data)
    document = DocxTemplate(io.BytesIO(data))
    context = summary_context(document, year=year, scope=scope, user=user, today=today, progress=progress)
    document.render(context, autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def summary_filename(year: int, scope=None) -> str:
    return f"{scope_name(scope)}{year}年党建工作综述.docx"


def years_choice(today: datetime.date | None = None) -> list[int]:
    this = (today or timezone.localdate()).year
    return list(range(this, this - 10, -1))
