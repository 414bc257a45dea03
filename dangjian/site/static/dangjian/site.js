// Buttons marked data-print print the page (no inline handlers, so a strict CSP allows them).
document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) {
        event.preventDefault();
        window.print();
    }
});
