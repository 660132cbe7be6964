// Campaigns: the weekly trend chart and the whip list's "select all". Loaded only on campaign pages.
(function () {
  "use strict";

  function drawTrend(canvas) {
    if (!window.Chart) { return; }
    fetch(canvas.getAttribute("data-trend-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        var datasets = data.datasets.map(function (set) {
          return { label: set.label, data: set.data, backgroundColor: set.color, borderColor: set.color, stack: "stances", fill: true, pointRadius: 0 };
        });
        if (data.needed) {
          datasets.push({
            type: "line", label: data.needed_label, data: data.labels.map(function () { return data.needed; }),
            borderColor: "#000", borderDash: [6, 4], pointRadius: 0, fill: false
          });
        }
        if (canvas._chart) { canvas._chart.destroy(); }
        canvas._chart = new window.Chart(canvas, {
          type: "bar",
          data: { labels: data.labels, datasets: datasets },
          options: {
            responsive: true, maintainAspectRatio: false, animation: false,
            scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } },
            plugins: { legend: { position: "bottom", labels: { boxWidth: 12 } } }
          }
        });
      });
  }

  function init() {
    var canvas = document.getElementById("trend-chart");
    if (canvas) {
      drawTrend(canvas);
      // A stance saved in place changes this week's bar.
      document.body.addEventListener("stance-changed", function () { drawTrend(canvas); });
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-select-all]");
    if (!button) { return; }
    var boxes = document.querySelectorAll('input[type=checkbox][name="' + button.getAttribute("data-select-all") + '"]');
    var allChecked = Array.prototype.every.call(boxes, function (b) { return b.checked; });
    boxes.forEach(function (b) { b.checked = !allChecked; });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
