"""A new domain is one folder and one INSTALLED_APPS line: the sidebar, the API router, the
figures, the warnings, the to-dos, the built-in roles' permissions, the demo zone, and the
delivery channels and daily reminders of notifications are assembled from what the installed
apps register, with nothing edited in core, the platform or the site."""

import random

from django.test import modify_settings

from dangjian.accounts.roles import builtin_permissions
from dangjian.core import indicators, registry
from dangjian.core.demo import DemoContext
from dangjian.notifications.registry import channels, reminders
from dangjian.organizations.warnings import warning_groups, warning_providers
from dangjian.site.api_urls import build_router

SAMPLE = "dangjian.site.tests.sample_domain"


def sections():
    return {section.title: [item.title for item in items] for section, items in registry.navigation()}


def prefixes():
    return [prefix for prefix, _viewset, _basename in build_router().registry]


def test_an_installed_domain_brings_its_sidebar_api_figures_warnings_and_demo():
    with modify_settings(INSTALLED_APPS={"append": SAMPLE}):
        assert sections()["样例领域"] == ["样例首页"]
        assert "samples" in prefixes()
        assert "sample.things" in [i.code for i in indicators.all_indicators()]
        assert indicators.dashboard_indicators()[-1].code == "sample.things"
        assert warning_groups()["sample"] == "样例预警"
        assert "sample_domain.view_sample" in builtin_permissions("zone_admin")
        assert "sample_warnings" in [p.provide.__name__ for p in warning_providers()]
        assert registry.todo_sources()[-1].key == "sample_todo"
        loaders = registry.demo_loaders()
        assert loaders[-1].name == "load_sample"
        assert registry.demo_logins()[-1] == ("sample", "样例账号")
        demo = DemoContext(rng=random.Random(1))
        loaders[-1].load(demo)
        assert demo.shared == {"sample_loaded": True}
        assert [c.name for c in channels()] == ["site", "email", "sample_sms"]
        assert "sample_due" in [r.name for r in reminders()]


def test_a_domain_that_is_not_installed_brings_nothing():
    with modify_settings(INSTALLED_APPS={"append": SAMPLE}):
        assert "样例领域" in sections()
    assert "样例领域" not in sections()
    assert "samples" not in prefixes()
    assert "sample.things" not in [i.code for i in indicators.all_indicators()]
    assert "sample" not in warning_groups()
    assert "sample_domain.view_sample" not in builtin_permissions("zone_admin")
    assert "load_sample" not in [loader.name for loader in registry.demo_loaders()]
    assert "sample_todo" not in [source.key for source in registry.todo_sources()]
    assert [c.name for c in channels()] == ["site", "email"]
    assert "sample_due" not in [r.name for r in reminders()]


def test_the_sidebar_keeps_the_sections_of_the_installed_apps_in_their_order():
    assert list(sections()) == [
        "工作台",
        "报表与综述",
        "党组织与党员",
        "组织生活",
        "发展党员与党费",
        "评星晋级",
        "项目包抓",
        "招商引资",
        "人才与创新",
        "企业服务",
        "企业",
        "台账",
        "系统",
    ]
    assert sections()["党组织与党员"] == ["组织体系", "阵地与岗区", "党员花名册", "组织关系记录"]
    assert sections()["系统"] == ["用户", "角色", "授权", "审计日志", "登录锁定", "登录失败记录", "定时任务"]
    assert sections()["评星晋级"] == ["评星申报", "评星活动", "评星结果", "评星统计", "评星标准"]


def test_the_router_serves_every_app_route_under_its_basename():
    basenames = {prefix: basename for prefix, _viewset, basename in build_router().registry}
    assert basenames["organizations"] == "organization"
    assert basenames["dues/assessments"] == "duesassessment"
    assert basenames["requests"] == "servicerequest"
    assert basenames["audit"] == "auditentry"
    assert basenames["notifications"] == "notification"
    assert basenames["star-ratings"] == "starrating"
    assert basenames["rating-assessments"] == "ratingassessment"
    assert basenames["investment-projects"] == "investmentproject"
    assert basenames["investment-targets"] == "investmenttarget"
    assert basenames["talents"] == "talent"
    assert basenames["talent-platforms"] == "talentplatform"
    assert basenames["innovations"] == "innovation"
    assert len(basenames) == 44
