from dangjian.core import registry

registry.nav_section("sample", "样例领域", order=75, module=__name__)
registry.nav_items(
    "sample",
    {
        "title": "样例首页",
        "icon": "science",
        "url": "admin:index",
        "permissions": "indicators.view_indicators",
    },
    module=__name__,
)


def _sample_rows(request, enterprise):
    return ["样例", "企业"], [["样例记录", enterprise]]


registry.change_panel(
    "enterprises.enterprise", title="样例记录", rows=_sample_rows, order=99, module=__name__
)
