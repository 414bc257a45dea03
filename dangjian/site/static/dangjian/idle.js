// The session's limits (dangjian.site.sessions): shortly before the idle limit a banner warns
// "您已长时间未操作，将于 2 分钟后自动退出" with 继续使用, which tells the server the user is still
// here; before the absolute limit it only warns. Once the server has signed the user out (asking
// the status is no activity) the page reloads and leads to the sign-in page. A file, no inline script (the Content-Security-Policy).
(function () {
    var STATUS = "/session/status/";
    var KEEPALIVE = "/session/keepalive/";
    var timer = null;
    var banner = null;

    function csrfToken() {
        var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
        if (match) {
            return decodeURIComponent(match[1]);
        }
        var field = document.querySelector("input[name=csrfmiddlewaretoken]");
        return field ? field.value : "";
    }

    function minutes(seconds) {
        return Math.max(1, Math.ceil(seconds / 60));
    }

    function hide() {
        if (banner) {
            banner.remove();
            banner = null;
        }
    }

    function show(text, canContinue) {
        hide();
        banner = document.createElement("div");
        banner.className = "dangjian-idle-warning";
        banner.setAttribute("role", "alertdialog");
        banner.style.cssText =
            "position:fixed;left:50%;top:12px;transform:translateX(-50%);z-index:10000;max-width:92vw;" +
            "background:#fffbeb;color:#92400e;border:1px solid #f59e0b;border-radius:8px;padding:10px 14px;" +
            "box-shadow:0 4px 12px rgba(0,0,0,.15);display:flex;gap:12px;align-items:center;font-size:15px;";
        var message = document.createElement("span");
        message.textContent = text;
        banner.appendChild(message);
        if (canContinue) {
            var button = document.createElement("button");
            button.type = "button";
            button.textContent = "继续使用";
            button.style.cssText =
                "width:auto;margin:0;padding:6px 12px;border:0;border-radius:6px;background:#dc2626;color:#fff;" +
                "font-size:15px;cursor:pointer;";
            button.addEventListener("click", keepAlive);
            banner.appendChild(button);
        }
        document.body.appendChild(banner);
    }

    function schedule(state) {
        clearTimeout(timer);
        if (!state || !state.authenticated) {
            if (state && state.expired) {
                window.location.reload();
            }
            return;
        }
        var idle = state.idle_seconds_left;
        var absolute = state.absolute_seconds_left;
        var left = Math.min(idle, absolute);
        if (left <= 0) {
            // about up: ask again in a moment (a reload now would be a request, and so activity);
            // once the server has signed out, the page reloads (above)
            timer = setTimeout(check, 1000);
            return;
        }
        if (left <= state.warning_seconds) {
            if (absolute <= idle) {
                show("登录即将到期，将于 " + minutes(left) + " 分钟后自动退出，请及时保存", false);
            } else {
                show("您已长时间未操作，将于 " + minutes(left) + " 分钟后自动退出", true);
            }
            // check again when the time is up (another tab may have kept the session going)
            timer = setTimeout(check, (Math.min(left, 30) + 1) * 1000);
        } else {
            hide();
            timer = setTimeout(check, (left - state.warning_seconds) * 1000);
        }
    }

    function request(url, options) {
        return fetch(url, options)
            .then(function (response) { return response.ok ? response.json() : null; })
            .then(schedule)
            .catch(function () { timer = setTimeout(check, 60000); });
    }

    function check() {
        request(STATUS, {credentials: "same-origin", headers: {Accept: "application/json"}});
    }

    function keepAlive() {
        request(KEEPALIVE, {
            method: "POST",
            credentials: "same-origin",
            headers: {"X-CSRFToken": csrfToken(), Accept: "application/json"},
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", check);
    } else {
        check();
    }
})();
