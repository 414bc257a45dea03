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
