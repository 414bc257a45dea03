"""An enterprise's page shows its talents, platforms, incubations, patents, other innovations and
experts (enterprises, a lower layer, knows nothing of talent: the panels are registered here),
each list read through the user's scope, each record a link for who may open it."""

from dangjian.core import registry
from dangjian.core.scope import restrict

from .. import selectors
from ..models import Incubation

ENTERPRISE = "enterprises.enterprise"


def _records(request, enterprise, key, permission):
    if not request.user.has_perm(permission):
        return None
    return selectors.enterprise_records(request.user, enterprise)[key]


def talents(request, enterprise):
    found = _records(request, enterprise, "talents", "talent.view_talent")
    if found is None:
        return None
    return ["姓名", "人才类别", "来源", "入库日期", "出库日期", "确认状态"], [
        [t, t.get_category_display(), t.get_source_display(), t.intake_on, t.exit_on, t.get_review_display()]
        for t in found
    ]


def platforms(request, enterprise):
    found = _records(request, enterprise, "platforms", "talent.view_platform")
    if found is None:
        return None
    return ["平台名称", "平台类型", "级别", "认定日期", "撤销日期"], [
        [p, p.get_kind_display(), p.get_level_display(), p.recognised_on, p.withdrawn_on] for p in found
    ]


def incubations(request, enterprise):
    if not request.user.has_perm("talent.view_platform"):
        return None
    found = restrict(request.user, Incubation).filter(enterprise=enterprise).select_related("platform")
    if not found.exists() and not enterprise.is_incubated:
        return None  # an enterprise never incubated has no such panel
    return ["孵化平台", "平台类型", "入孵日期", "出孵日期"], [
        [i.platform, i.platform.get_kind_display(), i.entered_on, i.left_on] for i in found
    ]


def patents(request, enterprise):
    found = _records(request, enterprise, "patents", "talent.view_innovation")
    if found is None:
        return None
    return ["专利名称", "专利类型", "专利号", "授权日期", "确认状态"], [
        [p, p.get_patent_kind_display(), p.patent_number, p.dated_on, p.get_review_display()] for p in found
    ]


def innovations(request, enterprise):
    found = _records(request, enterprise, "innovations", "talent.view_innovation")
    if found is None:
        return None
    rows = []
    for item in found:
        universities = "、".join(u.name for u in item.universities.all())
        rows.append(
            [
                item,
                item.get_kind_display(),
                item.get_level_display(),
                item.dated_on,
                universities,
                item.get_review_display(),
            ]
        )
    return ["名称", "类型", "级别", "日期", "合作高校", "确认状态"], rows


def experts(request, enterprise):
    found = _records(request, enterprise, "experts", "talent.view_expert")
    if found is None:
        return None
    return ["姓名", "称号", "所在单位", "合作内容", "协议签订日期", "协议截止日期"], [
        [e, e.honour, e.institution, e.topic, e.agreed_on, e.agreed_until] for e in found
    ]


for order, (title, rows) in enumerate(
    [
        ("人才", talents),
        ("创新平台", platforms),
        ("入孵情况", incubations),
        ("专利", patents),
        ("其他科技创新", innovations),
        ("院士专家", experts),
    ],
    start=20,
):
    registry.change_panel(ENTERPRISE, title=title, rows=rows, order=order, module=__name__)
