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
