"""One journey per role in a real browser, each step asserting what the user sees: the secretary
records a 主题党日 with per-person attendance and finds it counted in 落实情况; the enterprise submits
a request with a file, the handler sees the file and the timeline, accepts and closes it, and the
enterprise rates it; the leader opens a figure, drills down to its records and exports them; the
zone administrator sets up the second factor at the first sign-in and later signs in with a
recovery code. No page of any journey has anything refused by the CSP (the browser fixtures)."""

import io

import openpyxl
import pytest
from django.utils import timezone

from dangjian.core.testing.browser import By, expected_conditions, log_in, wait_for
from dangjian.core.testing.english import english_words
from dangjian.organizations.models import OrgKind
from dangjian.partylife.models import AttendanceStatus, Meeting, MeetingKind
from dangjian.projects.tests.factories import make_cadre
from dangjian.servicedesk.models import RequestStatus, ServiceRequest
from dangjian.servicedesk.tests.factories import designate, make_contact
from dangjian.testing.factories import PASSWORD, make_member, make_org, make_user
from dangjian.testing.second_factor import browser_log_in, code_for_secret

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("default_data")]


def body(browser):
    return browser.find_element(By.TAG_NAME, "body").text


def shown(browser, text):
    # the page's text read in the page: a node held across a navigation can fail in Chromium
    wait_for(
        browser,
        lambda b: text in (b.execute_script("return document.body ? document.body.innerText : ''") or ""),
    )


def no_english(browser, *data):
    """No English on the page but `data` (a file's extension, say)."""
    words = english_words(browser.page_source, allowed=data)
    assert not words, words


def step(browser, name, label):
    """Open a workflow step from the record's page (its button may sit in a menu)."""
    link = browser.find_element(By.CSS_SELECTOR, f"a[href$='/step/{name}/']")
    assert link.get_attribute("textContent").strip() == label
    browser.get(link.get_attribute("href"))


def submit(field):
    """Send the form that `field` belongs to."""
    field.find_element(By.XPATH, "ancestor::form//*[@type='submit']").click()


def test_a_secretary_records_a_theme_day_with_attendance_and_sees_it_counted(live_server, desktop, zone):
    today = timezone.localdate()
    # a branch founded this month owes nothing overdue yet: its to-do is this month's meetings
    branch = make_org("丙企业党支部", OrgKind.BRANCH, zone.root, founded_on=today.replace(day=1))
    names = ("赵一", "钱二", "孙三")
    members = {name: make_member(branch, name=name) for name in names}
    secretary = make_user("secretary", organization=branch)
    log_in(desktop, live_server.url, "/admin/login/", secretary.username, PASSWORD)

    # 我的待办 names this month's 主题党日 as still to hold; its link opens the form filled in
    due = f"丙企业党支部：主题党日（{today.year}年{today.month}月）待开"
    wait_for(desktop, expected_conditions.presence_of_element_located((By.LINK_TEXT, due))).click()
    wait_for(desktop, expected_conditions.presence_of_element_located((By.NAME, "theme")))
    assert desktop.find_element(By.NAME, "organization").get_attribute("value") == str(branch.pk)
    assert desktop.find_element(By.NAME, "kind").get_attribute("value") == MeetingKind.THEME_DAY
    no_english(desktop)
    held_on = desktop.find_element(By.NAME, "held_on")
    held_on.clear()
    held_on.send_keys(f"{today:%Y-%m-%d}")
    desktop.find_element(By.NAME, "theme").send_keys("重温入党誓词主题党日")
    desktop.find_element(By.NAME, "_save").click()

    # the meeting opens again with the branch's members listed as present
    shown(desktop, "请在“出席记录”中登记每位党员的出席、请假或缺席")
    meeting = Meeting.objects.get()
    rows = {}
    for index in range(len(names)):
        member = desktop.find_element(By.NAME, f"attendance-{index}-member").get_attribute("value")
        rows[int(member)] = index
    assert set(rows) == {m.pk for m in members.values()}
    on_leave = rows[members["钱二"].pk]
    away = rows[members["孙三"].pk]
    leave = desktop.find_element(
        By.CSS_SELECTOR, f"input[name='attendance-{on_leave}-status'][value='leave']"
    )
    desktop.execute_script("arguments[0].click()", leave)
    desktop.find_element(By.NAME, f"attendance-{on_leave}-absence_reason").send_keys("出差")
    absent = desktop.find_element(By.CSS_SELECTOR, f"input[name='attendance-{away}-status'][value='absent']")
    desktop.execute_script("arguments[0].click()", absent)
    no_english(desktop)
    desktop.find_element(By.NAME, "_continue").click()
    wait_for(desktop, lambda _: Meeting.objects.get().attendance_recorded)
    shown(desktop, "成功")
    reason = desktop.find_element(By.NAME, f"attendance-{on_leave}-absence_reason")
    assert reason.get_attribute("value") == "出差"
    meeting.refresh_from_db()
    assert (meeting.expected_count, meeting.present_count, meeting.attendance_recorded) == (3, 1, True)
    statuses = dict(meeting.attendance.values_list("member__name", "status"))
    assert statuses == {"赵一": AttendanceStatus.PRESENT, "钱二": AttendanceStatus.LEAVE, "孙三": "absent"}
    text = body(desktop)
    assert "应到人数" in text and "实到人数" in text

    # 落实情况 counts it: this month's 主题党日 is held
    desktop.get(f"{live_server.url}/admin/partylife/meeting/compliance/?year={today.year}")
    row = next(
        r.text
        for r in desktop.find_elements(By.CSS_SELECTOR, "#compliance tbody tr")
        if r.text.startswith("丙企业党支部 主题党日")
    )
    assert f"{today.year}年{today.month}月：已开" in row
    no_english(desktop)


def test_an_enterprise_submits_the_handler_accepts_and_closes_the_enterprise_rates(
    live_server, desktop, phone, zone, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    cadre = designate(zone.enterprise_a, make_cadre("王联系"))
    cadre.user.set_password(PASSWORD)  # the system administrator sets a cadre's password
    cadre.user.save()
    contact = make_contact(zone.enterprise_a)
    attachment = tmp_path / "营业执照.pdf"
    attachment.write_bytes(b"%PDF-1.4 test")

    # the enterprise submits on a phone, with a file
    log_in(phone, live_server.url, "/portal/login/", contact.username, PASSWORD)
    wait_for(phone, expected_conditions.presence_of_element_located((By.LINK_TEXT, "提交新的诉求"))).click()
    phone.find_element(By.NAME, "title").send_keys("厂房消防验收")
    phone.find_element(By.NAME, "description").send_keys("请协调消防验收时间")
    phone.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(attachment))
    phone.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    shown(phone, "办理过程")
    request = ServiceRequest.objects.get()

    # the handler finds it in 我的待办, sees the file and the timeline, accepts and closes it
    log_in(desktop, live_server.url, "/admin/login/", cadre.user.username, PASSWORD)
    todo = wait_for(
        desktop, expected_conditions.presence_of_element_located((By.PARTIAL_LINK_TEXT, "厂房消防验收"))
    )
    assert "待受理的企业事项" in body(desktop)
    todo.click()
    shown(desktop, "营业执照.pdf")
    assert "提交" in body(desktop)
    # the file's link is the scoped download, which the signed-in handler's browser fetches
    link = desktop.find_element(By.CSS_SELECTOR, "a[href*='/files/servicedesk.requestfile/']")
    fetched = "return fetch(arguments[0]).then(r => r.status + ' ' + r.headers.get('content-disposition'))"
    assert desktop.execute_script(fetched, link.get_attribute("href")).startswith(
        "200 attachment; filename*=utf-8''"
    )
    assert "/media/" not in desktop.page_source
    no_english(desktop, "pdf")
    step(desktop, "accept", "受理")
    submit(wait_for(desktop, expected_conditions.presence_of_element_located((By.NAME, "handling"))))
    shown(desktop, "已受理")
    step(desktop, "close", "办结")
    result = wait_for(desktop, expected_conditions.presence_of_element_located((By.NAME, "text")))
    result.send_keys("已协调消防部门现场验收")
    submit(result)
    shown(desktop, "已办结")
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED

    # the enterprise is told, and rates it
    phone.get(live_server.url + "/portal/")
    shown(phone, "已办结，请确认并评价")
    phone.find_element(By.PARTIAL_LINK_TEXT, "已办结，请确认并评价").click()
    wait_for(phone, expected_conditions.presence_of_element_located((By.NAME, "rating")))
    rating = phone.find_element(By.NAME, "rating")
    if rating.tag_name == "select":
        from selenium.webdriver.support.ui import Select

        Select(rating).select_by_value("5")
    else:
        phone.find_element(By.CSS_SELECTOR, "input[name=rating][value='5']").click()
    phone.find_element(By.CSS_SELECTOR, "button[name=rate]").click()
    shown(phone, "您的评价：5 分")
    request.refresh_from_db()
    assert (request.status, request.rating) == (RequestStatus.RATED, 5)


def test_a_leader_opens_a_figure_drills_down_and_exports_it(live_server, desktop, zone):
    for name in ("周一", "吴二"):
        make_member(zone.branch_a1, name=name)
    leader = make_user("leader", organization=zone.root)
    log_in(desktop, live_server.url, "/admin/login/", leader.username, PASSWORD)
    # the first page's card opens the figure's records
    card = wait_for(
        desktop,
        expected_conditions.presence_of_element_located(
            (By.CSS_SELECTOR, "a[href^='/admin/indicators/members.total/']")
        ),
    )
    assert "党员总数" in card.text and "2" in card.text
    no_english(desktop)
    card.click()
    shown(desktop, "构成该数值的记录共 2 条")
    records = [r.text for r in desktop.find_elements(By.CSS_SELECTOR, "#indicator-records tbody tr")]
    assert len(records) == 2 and any("周一" in r for r in records) and any("吴二" in r for r in records)
    link = desktop.find_element(By.CSS_SELECTOR, "#indicator-records tbody a")
    assert "/admin/members/member/" in link.get_attribute("href")
    no_english(desktop)
    href = desktop.find_element(By.ID, "export-records").get_attribute("href")
    content = desktop.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        fetch(arguments[0], {credentials: "same-origin"})
            .then(r => r.arrayBuffer().then(b => done([r.status, r.headers.get("content-type"),
                Array.from(new Uint8Array(b))])))
            .catch(e => done([0, String(e), []]));
        """,
        href,
    )
    status, content_type, data = content
    assert status == 200 and content_type.startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(bytes(data))).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[2][:2] == ["序号", "记录"]
    assert sorted(row[1] for row in rows[3:]) == sorted(r.split(" ", 1)[1] for r in records)

    # the table of every figure is one click away, and exports too
    desktop.get(live_server.url + "/admin/indicators/")
    shown(desktop, "党员总数")
    assert desktop.find_element(By.ID, "export-indicators").get_attribute("href").endswith("format=xlsx")
    no_english(desktop)


def try_sign_in(browser, url, username, password):
    """Send the sign-in form of `url` and wait for the page that answers."""
    browser.get(url)
    field = browser.find_element(By.NAME, "username")
    field.send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(password)
    # a mark on this page's window: the page that answers has none (asking whether the old field
    # went stale can itself fail while Chromium swaps the document)
    browser.execute_script("window.signInSent = true")
    submit(field)
    wait_for(browser, lambda b: not b.execute_script("return window.signInSent === true"))


def test_a_cadre_locked_out_on_the_phone_is_unlocked_by_the_security_administrator(
    live_server, phone, desktop, zone
):
    cadre = designate(zone.enterprise_a, make_cadre())
    cadre.user.set_password(PASSWORD)  # the system administrator sets a cadre's password
    cadre.user.save()
    for attempt in range(5):
        try_sign_in(phone, live_server.url + "/m/login/", cadre.user.username, "Wrong@2026pass")
        if attempt < 4:
            shown(phone, "用户名或密码不正确")
    shown(phone, "登录失败次数过多，账号已锁定，请于 30 分钟后（")
    try_sign_in(phone, live_server.url + "/m/login/", cadre.user.username, PASSWORD)
    shown(phone, "账号已锁定")  # the right password too
    no_english(phone)

    security = make_user("security_admin")
    browser_log_in(desktop, live_server.url, "/admin/login/", security, PASSWORD)  # with the second factor
    wait_for(desktop, lambda browser: "登录锁定" in browser.page_source)  # in the sidebar
    desktop.get(live_server.url + "/admin/axes/accessattempt/")
    shown(desktop, cadre.user.username)
    shown(desktop, "已锁定，至")
    no_english(desktop, cadre.user.username)
    desktop.find_element(By.CSS_SELECTOR, "input[name=_selected_action]").click()
    action = desktop.find_element(By.NAME, "action")
    desktop.execute_script("arguments[0].value = 'unlock'; arguments[0].form.submit();", action)
    shown(desktop, f"已解锁：{cadre.user.username}")

    log_in(phone, live_server.url, "/m/login/", cadre.user.username, PASSWORD)
    shown(phone, "日纪实")


def test_the_idle_warning_keeps_the_session_on_request_then_signs_out(live_server, desktop, zone, settings):
    # a short idle limit: the warning shows 3 seconds after a request, the sign-out 15 seconds after
    settings.SESSION_IDLE_MINUTES = 0.25
    settings.SESSION_IDLE_WARNING_MINUTES = 0.2
    secretary = make_user("secretary", organization=zone.committee_a)
    log_in(desktop, live_server.url, "/admin/login/", secretary.username, PASSWORD)
    shown(desktop, "您已长时间未操作，将于 1 分钟后自动退出")
    desktop.find_element(By.XPATH, "//button[normalize-space()='继续使用']").click()
    wait_for(
        desktop, expected_conditions.invisibility_of_element_located((By.CLASS_NAME, "dangjian-idle-warning"))
    )
    assert "/admin/login/" not in desktop.current_url
    # no one goes on: the page leads to the sign-in with the reason
    wait_for(desktop, expected_conditions.url_contains("/admin/login/"), seconds=40)
    shown(desktop, "未操作，已自动退出，请重新登录")


def test_an_administrator_resets_a_password_and_the_user_changes_it_at_once(live_server, desktop, zone):
    secretary = make_user("secretary", organization=zone.committee_a)
    sysadmin = make_user("system_admin")
    browser_log_in(desktop, live_server.url, "/admin/login/", sysadmin, PASSWORD)
    shown(desktop, "这是您首次登录")
    # the user's page offers 重置密码, not the password itself
    desktop.get(f"{live_server.url}/admin/accounts/user/{secretary.pk}/change/")
    shown(desktop, "任何人都无法查看")
    desktop.find_element(By.LINK_TEXT, "重置密码").click()
    shown(desktop, "留空则生成随机临时密码")
    no_english(desktop)
    submit(desktop.find_element(By.NAME, "password1"))
    shown(desktop, "临时密码（只显示这一次")
    temporary = desktop.find_element(By.ID, "temporary-password").text
    desktop.delete_all_cookies()

    # signing in with it leads to 修改密码, which says why; nothing else opens until it is changed
    log_in(desktop, live_server.url, "/admin/login/", secretary.username, temporary)
    shown(desktop, "管理员为您新建了账号或重置了密码，请先修改密码后再使用系统")
    assert desktop.current_url.endswith("/admin/password_change/")
    desktop.get(live_server.url + "/admin/members/member/")
    assert desktop.current_url.endswith("/admin/password_change/")
    no_english(desktop)
    new = "Eigenes#Passwort26"
    desktop.find_element(By.NAME, "old_password").send_keys(temporary)
    desktop.find_element(By.NAME, "new_password1").send_keys(new)
    desktop.find_element(By.NAME, "new_password2").send_keys(new)
    submit(desktop.find_element(By.NAME, "new_password2"))
    # the change is saved once its 完成 page is there (going on before it races the form's post)
    wait_for(desktop, expected_conditions.url_contains("/admin/password_change/done/"))
    desktop.get(live_server.url + "/admin/members/member/")
    assert desktop.current_url.endswith("/admin/members/member/")

    # the next sign-in shows the one before: its time and address
    desktop.delete_all_cookies()
    log_in(desktop, live_server.url, "/admin/login/", secretary.username, new)
    shown(desktop, "上次登录：")
    line = desktop.find_element(By.ID, "previous-login").text
    assert line.startswith(f"上次登录：{timezone.localdate().year}年") and line.endswith("IP 127.0.0.1")


def test_a_zone_administrator_sets_up_the_second_factor_then_signs_in_with_a_recovery_code(
    live_server, desktop, zone
):
    admin = make_user("zone_admin", organization=zone.root)
    log_in(desktop, live_server.url, "/admin/login/", admin.username, PASSWORD)

    # before anything else: the authenticator, from its QR code or its secret typed in
    secret = wait_for(
        desktop, expected_conditions.presence_of_element_located((By.ID, "second-factor-secret"))
    ).text
    assert "必须使用双因素认证" in body(desktop)
    assert desktop.find_element(By.CSS_SELECTOR, "#second-factor-qr svg").is_displayed()
    no_english(desktop, *secret.split())
    desktop.get(live_server.url + "/admin/members/member/")
    wait_for(desktop, expected_conditions.presence_of_element_located((By.ID, "second-factor-secret")))
    field = desktop.find_element(By.NAME, "otp")
    field.send_keys(code_for_secret(secret))
    submit(field)

    # ten recovery codes, once; then on to the page asked for
    shown(desktop, "双因素认证已启用")
    codes = [item.text for item in desktop.find_elements(By.CSS_SELECTOR, "#recovery-codes li")]
    assert len(codes) == 10
    no_english(desktop, *codes)
    desktop.find_element(By.PARTIAL_LINK_TEXT, "我已保存，继续").click()
    wait_for(desktop, expected_conditions.url_to_be(live_server.url + "/admin/members/member/"))

    # signed out and in again: the code is asked; a recovery code lets in, once
    desktop.execute_script("document.getElementById('logout-form').submit()")
    wait_for(desktop, expected_conditions.url_contains("/admin/logout/"))
    log_in(desktop, live_server.url, "/admin/login/", admin.username, PASSWORD, otp=lambda: codes[0])
    shown(desktop, "还剩 9 个")
    assert "我的待办" in body(desktop)
    no_english(desktop)
