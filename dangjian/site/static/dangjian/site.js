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
