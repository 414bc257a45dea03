// 返回上一页 on an error page goes back in the browser's history (a file, not a javascript: link,
// which the CSP refuses); without history it stays the link to the first page.
document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-back]");
    if (link && window.history.length > 1) {
        event.preventDefault();
        window.history.back();
    }
});
