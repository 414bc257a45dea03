// Buttons marked data-print print the page (no inline handlers, so a strict CSP allows them).
document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) {
        event.preventDefault();
        window.print();
    }
});

// The scrolling library labels its areas in English for screen readers; they read Chinese here.
function dangjianChineseLabels() {
    document.querySelectorAll('[aria-label="scrollable content"]').forEach(function (element) {
        element.setAttribute("aria-label", "可滚动区域");
    });
}
document.addEventListener("DOMContentLoaded", function () { setTimeout(dangjianChineseLabels, 0); });
window.addEventListener("load", dangjianChineseLabels);

// The dashboard loads 我的待办 (#todos) and the number of warnings (#warning-count) once it is shown,
// from the addresses in their data-url (a file of its own, not inline: the CSP allows no inline script).
function dangjianLoadDashboard() {
    var todos = document.getElementById("todos");
    if (todos) {
        fetch(todos.dataset.url, {credentials: "same-origin"})
            .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
            .then(function (html) { todos.innerHTML = html; })
            .catch(function () {
                todos.innerHTML = '<p class="text-sm"><a class="text-primary-600" href="' + todos.dataset.url + '?page=1">暂时无法加载待办事项，点击查看</a></p>';
            });
    }
    var count = document.getElementById("warning-count");
    if (count) {
        fetch(count.dataset.url, {credentials: "same-origin"})
            .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
            .then(function (data) { count.textContent = data.count + " 条"; })
            .catch(function () { count.textContent = "暂时无法统计，点击查看"; });
    }
}
document.addEventListener("DOMContentLoaded", dangjianLoadDashboard);

// A background job's page (#job): the bar takes the width of its data-percent; while the job runs
// (data-progress-url) its progress is asked every second, and the page reloads once it has ended
// to show the result.
function dangjianJobBar(percent) {
    var bar = document.getElementById("job-bar");
    if (bar) { bar.style.width = Math.max(0, Math.min(100, percent || 0)) + "%"; }
}
function dangjianWatchJob() {
    var job = document.getElementById("job");
    if (!job) { return; }
    var bar = document.getElementById("job-bar");
    dangjianJobBar(bar ? parseInt(bar.dataset.percent, 10) : 0);
    var url = job.dataset.progressUrl;
    if (!url) { return; }
    var ask = function () {
        fetch(url, {credentials: "same-origin"})
            .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
            .then(function (p) {
                if (p.status === "done" || p.status === "failed") { window.location.reload(); return; }
                document.getElementById("job-status").textContent = p.status_label;
                dangjianJobBar(p.percent);
                var text = p.total ? "已处理 " + p.done + " / " + p.total + " 行" : (p.done ? "已处理 " + p.done + " 行" : "等待开始");
                if (p.errors) { text += "，错误 " + p.errors + " 个"; }
                if (p.status === "running" && p.time_left) { text += "，预计还需 " + p.time_left; }
                document.getElementById("job-numbers").textContent = text;
                setTimeout(ask, 1000);
            })
            .catch(function () { setTimeout(ask, 3000); });
    };
    setTimeout(ask, 1000);
}
document.addEventListener("DOMContentLoaded", dangjianWatchJob);
