"""日纪实: one record per cadre and day (saving again updates it), never in the future, about the
projects and enterprises the cadre had that day, possibly raising problems; the working days
left without a record; and the phone page /m/daily/."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.core.models import Holiday
from dangjian.projects import services
from dangjian.projects.models import DailyRecord, Problem, ProblemSource, ProblemStatus
from dangjian.projects.selectors import missing_days
from dangjian.testing.factories import make_user

from .factories import ONE_DAY, assign, make_cadre, make_project, set_up_on, today

pytestmark = pytest.mark.django_db

D = datetime.date
# A week of 2025: Monday 2 June to Sunday 8 June; 2 June is no holiday.
MON, TUE, WED, THU, FRI, SAT, SUN = (D(2025, 6, 2) + ONE_DAY * i for i in range(7))


def save(cadre, day, content="到项目现场协调施工用电", actor=None, **fields):
    return services.daily_record_save(
        actor=actor if actor is not None else cadre.user, cadre=cadre, day=day, content=content, **fields
    )


@pytest.fixture
def cadre():
    return make_cadre("王日记")


@pytest.fixture
def project(cadre):
    return make_project("园区标准化厂房", cadres=[cadre], on=D(2025, 1, 1))


# -- daily_record_save ----------------------------------------------------------------------------------
def test_a_record_is_kept_with_its_projects_enterprises_and_visit_flag(cadre, project, zone):
    assign(zone.enterprise_a, cadre, on=D(2025, 1, 1))
    record = save(cadre, MON, projects=[project], enterprises=[zone.enterprise_a], is_visit=True)
    record.refresh_from_db()
    assert (record.cadre, record.day, record.is_visit) == (cadre, MON, True)
    assert list(record.projects.all()) == [project]
    assert list(record.enterprises.all()) == [zone.enterprise_a]


def test_saving_the_same_day_again_updates_the_one_record(cadre, project):
    first = save(cadre, MON, content="第一稿", projects=[project], is_visit=True)
    second = save(cadre, MON, content="  改过的内容 ", projects=[], is_visit=False)
    assert second.pk == first.pk
    assert DailyRecord.objects.count() == 1
    second.refresh_from_db()
    assert (second.content, second.is_visit, second.projects.count()) == ("改过的内容", False, 0)


def test_a_record_for_today_is_kept_and_for_tomorrow_refused(cadre):
    assert save(cadre, today()).day == today()
    with pytest.raises(ValidationError) as excinfo:
        save(cadre, today() + ONE_DAY)
    assert excinfo.value.message_dict["day"] == ["日期不能晚于今天"]
    assert DailyRecord.objects.count() == 1


@pytest.mark.parametrize("content", ["", "   ", None])
def test_a_record_without_content_is_refused(cadre, content):
    with pytest.raises(ValidationError) as excinfo:
        save(cadre, MON, content=content)
    assert excinfo.value.message_dict["content"] == ["请填写当天的工作纪实"]
    assert not DailyRecord.objects.exists()


def test_a_project_not_assigned_to_the_cadre_is_refused(cadre, project):
    other = make_project("别人的项目", cadres=[make_cadre("李")], on=D(2025, 1, 1))
    with pytest.raises(ValidationError) as excinfo:
        save(cadre, MON, projects=[project, other])
    assert excinfo.value.message_dict["projects"] == ["别人的项目不是您当天包抓的项目或企业"]
    assert not DailyRecord.objects.exists()


def test_an_enterprise_not_assigned_to_the_cadre_is_refused(cadre, zone):
    with pytest.raises(ValidationError) as excinfo:
        save(cadre, MON, enterprises=[zone.enterprise_b])
    assert excinfo.value.message_dict["projects"] == ["乙企业不是您当天包抓的项目或企业"]


def test_a_project_counts_only_on_the_days_it_was_assigned(cadre):
    project = make_project("五月起的项目", cadres=[cadre], on=TUE)
    with pytest.raises(ValidationError):
        save(cadre, MON, projects=[project])
    assert list(save(cadre, TUE, projects=[project]).projects.all()) == [project]
    assign(project, make_cadre("接手"), on=THU)  # 王 ends on WED
    assert save(cadre, WED, projects=[project]).projects.count() == 1
    with pytest.raises(ValidationError):
        save(cadre, THU, projects=[project])


def test_a_ledger_assignment_with_no_known_start_counts_for_any_earlier_day(cadre):
    project = make_project("台账项目", cadres=[cadre], on=None)
    assert save(cadre, D(2021, 3, 1), projects=[project]).projects.count() == 1


def test_a_cadre_keeps_only_their_own_record(cadre):
    other = make_cadre("李")
    with pytest.raises(ValidationError) as excinfo:
        save(cadre, MON, actor=other.user)
    assert excinfo.value.messages == ["只能记录自己的日纪实"]
    assert not DailyRecord.objects.exists()


def test_problems_raised_in_a_record_are_owned_by_the_cadre_and_point_back_to_it(cadre, project):
    record = save(
        cadre,
        MON,
        projects=[project],
        problems=[
            {
                "category": "construction",
                "description": "施工用电迟迟未接入",
                "project": project,
                "deadline": FRI,
            }
        ],
    )
    problem = Problem.objects.get()
    assert (problem.source, problem.owner, problem.raised_on, problem.deadline) == (
        ProblemSource.PROJECT,
        cadre,
        MON,
        FRI,
    )
    assert (problem.source_record, problem.project, problem.status) == (record, project, ProblemStatus.TODO)


def test_a_problem_raised_on_a_visit_has_the_visit_as_source(cadre, zone):
    assign(zone.enterprise_a, cadre, on=D(2025, 1, 1))
    save(
        cadre,
        MON,
        enterprises=[zone.enterprise_a],
        is_visit=True,
        problems=[{"category": "labor", "description": "缺少技术工人", "enterprise": zone.enterprise_a}],
    )
    problem = Problem.objects.get()
    assert (problem.source, problem.enterprise, problem.category) == (
        ProblemSource.VISIT,
        zone.enterprise_a,
        "labor",
    )


def test_photos_are_attached_to_the_record(cadre, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    photo = SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff\xe0jpeg", content_type="image/jpeg")
    record = save(cadre, MON, photos=[photo])
    assert [p.caption for p in record.photos.all()] == ["现场.jpg"]


# -- missing_days ---------------------------------------------------------------------------------------
def test_missing_days_are_the_working_days_without_a_record_weekends_excluded(cadre):
    for day in (MON, WED, SAT):
        save(cadre, day)
    assert missing_days(cadre, MON, SUN) == [TUE, THU, FRI]


def test_a_holiday_on_a_weekday_is_not_missing(cadre):
    Holiday.objects.create(day=THU, name="端午节")
    assert missing_days(cadre, MON, SUN) == [MON, TUE, WED, FRI]


def test_a_weekend_day_made_a_working_day_is_missing_without_a_record(cadre):
    Holiday.objects.create(day=SUN, name="调休上班", is_workday=True)
    save(cadre, MON)
    assert missing_days(cadre, MON, SUN) == [TUE, WED, THU, FRI, SUN]


def test_days_before_the_cadre_was_set_up_are_not_missing(cadre):
    set_up_on(cadre, WED)
    assert missing_days(cadre, MON, SUN) == [WED, THU, FRI]


def test_the_day_the_cadre_was_set_up_counts_in_local_time(cadre):
    # 07:30 in Shanghai on Wednesday is still Tuesday in UTC
    moment = timezone.make_aware(datetime.datetime(2025, 6, 4, 7, 30))
    type(cadre).objects.filter(pk=cadre.pk).update(created_at=moment)
    cadre.refresh_from_db()
    assert missing_days(cadre, MON, SUN) == [WED, THU, FRI]


def test_today_is_never_missing_yet_and_yesterday_is(cadre):
    start = today() - ONE_DAY * 14
    expected = [start + ONE_DAY * i for i in range(14) if (start + ONE_DAY * i).weekday() < 5]
    assert missing_days(cadre, start, today() + ONE_DAY * 7) == expected


def test_no_missing_days_when_the_range_is_all_in_the_future(cadre):
    assert missing_days(cadre, today() + ONE_DAY, today() + ONE_DAY * 10) == []


# -- the phone page -----------------------------------------------------------------------------------
URL = "/m/daily/"


def test_the_phone_page_offers_the_cadres_own_projects_and_shows_the_missing_days(client, cadre, project):
    make_project("别人的项目", cadres=[make_cadre("李")], on=D(2025, 1, 1))
    client.force_login(cadre.user)
    response = client.get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["projects"].queryset) == [project]
    assert response.context["missing"] == missing_days(cadre, today().replace(day=1), today())
    page = response.content.decode()
    assert "王日记" in page and "园区标准化厂房" in page and "别人的项目" not in page


def test_posting_the_phone_page_keeps_the_record_and_raises_the_problem(client, cadre, project):
    client.force_login(cadre.user)
    day = today() - ONE_DAY
    response = client.post(
        URL,
        {
            "day": day.isoformat(),
            "projects": [project.pk],
            "is_visit": "on",
            "content": "现场协调土方外运",
            "problem_category": "construction",
            "problem_description": "渣土消纳场地不足",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?day={day:%Y-%m-%d}"
    record = DailyRecord.objects.get()
    assert (record.cadre, record.day, record.content, record.is_visit) == (
        cadre,
        day,
        "现场协调土方外运",
        True,
    )
    assert list(record.projects.all()) == [project]
    problem = Problem.objects.get()
    assert (problem.description, problem.project, problem.owner, problem.source_record) == (
        "渣土消纳场地不足",
        project,
        cadre,
        record,
    )


def test_posting_the_same_day_again_on_the_phone_updates_the_record(client, cadre):
    client.force_login(cadre.user)
    day = today().isoformat()
    first = client.post(URL, {"day": day, "content": "上午"}, follow=True).content.decode()
    assert "的日纪实已保存" in first
    second = client.post(URL, {"day": day, "content": "上午和下午"}, follow=True).content.decode()
    assert "的日纪实已更新（每天一条）" in second
    assert list(DailyRecord.objects.values_list("content", flat=True)) == ["上午和下午"]


def test_opening_a_day_that_has_a_record_loads_it_for_editing(client, cadre, project):
    day = today() - ONE_DAY
    services.daily_record_save(actor=None, cadre=cadre, day=day, content="走访了企业", projects=[project])
    client.force_login(cadre.user)
    page = client.get(f"{URL}?day={day:%Y-%m-%d}").content.decode()
    assert "已有日纪实" in page and "走访了企业" in page
    assert re.search(rf'name="projects" value="{project.pk}"[^>]*checked', page)
    other = client.get(f"{URL}?day={day - ONE_DAY:%Y-%m-%d}").content.decode()
    assert "已有日纪实" not in other and "走访了企业" not in other.split("最近的记录")[0]


def test_a_problem_raised_on_the_phone_is_announced_with_its_owner(client, cadre, project):
    client.force_login(cadre.user)
    page = client.post(
        URL,
        {
            "day": today().isoformat(),
            "projects": [project.pk],
            "content": "现场办公",
            "problem_category": "construction",
            "problem_description": "施工用电不足",
        },
        follow=True,
    ).content.decode()
    assert "已提出问题“施工用电不足”" in page
    assert f"责任人{cadre.name}" in page


def test_the_phone_page_shows_the_error_of_a_future_day_and_keeps_nothing(client, cadre):
    client.force_login(cadre.user)
    response = client.post(URL, {"day": (today() + ONE_DAY).isoformat(), "content": "预先填写"})
    assert response.status_code == 200
    assert "日期不能晚于今天" in response.content.decode()
    assert not DailyRecord.objects.exists()


def test_the_phone_page_refuses_a_project_that_is_not_the_cadres(client, cadre):
    other = make_project("别人的项目", cadres=[make_cadre("李")], on=D(2025, 1, 1))
    client.force_login(cadre.user)
    response = client.post(URL, {"day": today().isoformat(), "projects": [other.pk], "content": "越权"})
    assert response.status_code == 200
    assert "projects" in response.context["form"].errors
    assert not DailyRecord.objects.exists()


def test_a_problem_category_without_a_description_is_refused_on_the_phone(client, cadre):
    client.force_login(cadre.user)
    response = client.post(URL, {"day": today().isoformat(), "content": "走访", "problem_category": "labor"})
    assert response.context["form"].errors["problem_description"] == ["请描述发现的问题"]
    assert not DailyRecord.objects.exists()


def test_the_phone_page_is_403_for_a_user_who_is_not_a_cadre(client, zone):
    client.force_login(make_user("zone_admin", organization=zone.root))
    response = client.get(URL)
    assert response.status_code == 403
    assert "您的账号不是包抓干部" in response.content.decode()
    assert client.post(URL, {"day": today().isoformat(), "content": "x"}).status_code == 403
    assert not DailyRecord.objects.exists()


def test_the_phone_page_asks_an_anonymous_visitor_to_log_in_on_the_phone(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/m/login/?next=/m/daily/"
