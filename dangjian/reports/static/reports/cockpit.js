// The cockpit and the big screen draw their charts from the figures in #cockpit-data (a JSON
// block the page carries; no inline script, so the CSP holds). A click on a bar or a point opens
// the records behind it (each series carries the address of each point). The big screen
// (body[data-refresh-url]) asks for fresh figures every data-refresh-seconds and redraws.
(function () {
    var COLOURS = ["#c8161d", "#e0a100", "#1f5fa8", "#3d8b37", "#7a4fa3", "#0f8a8a"];
    var charts = {};

    function dataOf() {
        var element = document.getElementById("cockpit-data");
        return element ? JSON.parse(element.textContent) : null;
    }

    function datasets(chart, kind) {
        return chart.series.map(function (series, index) {
            var colour = COLOURS[index % COLOURS.length];
            return {
                label: series.name,
                data: series.data,
                backgroundColor: colour,
                borderColor: colour,
                fill: false,
                tension: 0.2,
                urls: series.urls
            };
        });
    }

    function draw(canvas, chart) {
        var kind = canvas.dataset.kind;
        var stacked = canvas.dataset.stacked === "1";
        var config = {
            type: kind === "line" ? "line" : "bar",
            data: {labels: chart.labels, datasets: datasets(chart, kind)},
            options: {
                indexAxis: kind === "hbar" ? "y" : "x",
                responsive: true,
                maintainAspectRatio: false,
                animation: false,
                scales: {x: {stacked: stacked}, y: {stacked: stacked, beginAtZero: true}},
                plugins: {legend: {display: chart.series.length > 1}},
                onHover: function (event, elements) {
                    event.native.target.style.cursor = elements.length ? "pointer" : "default";
                },
                onClick: function (event, elements) {
                    if (!elements.length) { return; }
                    var point = elements[0];
                    var url = this.data.datasets[point.datasetIndex].urls[point.index];
                    if (url) { window.location.href = url; }
                }
            }
        };
        if (charts[canvas.dataset.chart]) { charts[canvas.dataset.chart].destroy(); }
        charts[canvas.dataset.chart] = new window.Chart(canvas, config);
        canvas.dataset.drawn = "1";
    }

    function drawAll(data) {
        document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
            var chart = data.charts[canvas.dataset.chart];
            var figure = canvas.closest("figure");
            if (!chart) { if (figure) { figure.hidden = true; } return; }
            if (figure) { figure.hidden = false; }
            draw(canvas, chart);
        });
    }

    function updateCards(data) {
        data.cards.forEach(function (card) {
            var element = document.querySelector('.cockpit-card[data-code="' + card.code + '"]');
            if (!element) { return; }
            element.querySelector(".cockpit-value").textContent = card.text;
            var compare = "上年 " + card.last_year + (card.change ? "（" + card.change + "）" : "");
            if (card.target) { compare += " · 目标 " + card.target + "，完成 " + card.target_share + "%"; }
            element.querySelector(".cockpit-compare").textContent = compare;
        });
        data.warnings.forEach(function (item) {
            var element = document.querySelector('.cockpit-warning[data-group="' + item.group + '"] strong');
            if (element) { element.textContent = item.count; }
        });
        var time = document.getElementById("screen-time");
        if (time) { time.textContent = data.computed_at; }
    }

    function start() {
        var data = dataOf();
        if (!data || !window.Chart) { return; }
        if (document.body.classList.contains("screen")) {
            window.Chart.defaults.color = "#e8edf5";
            window.Chart.defaults.borderColor = "rgba(232, 237, 245, 0.15)";
            window.Chart.defaults.font.size = 18;
        }
        drawAll(data);
        var url = document.body.dataset.refreshUrl;
        if (url) {
            var seconds = parseInt(document.body.dataset.refreshSeconds, 10) || 60;
            setInterval(function () {
                fetch(url, {credentials: "same-origin"})
                    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
                    .then(function (fresh) { updateCards(fresh); drawAll(fresh); })
                    .catch(function () { /* keep showing the last figures */ });
            }, seconds * 1000);
        }
    }

    document.addEventListener("DOMContentLoaded", start);
})();
