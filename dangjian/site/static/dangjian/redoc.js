// ReDoc on /api/v1/redoc/: the schema's address and the settings come from the container's data
// attributes (a file, not an inline script, for the CSP).
(function () {
    var container = document.getElementById("redoc-container");
    Redoc.init(container.dataset.schemaUrl, JSON.parse(container.dataset.settings), container);
})();
