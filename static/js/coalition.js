// Petition drive charts. Data comes from data-chart attributes (JSON) so no inline script is needed.
(function () {
  "use strict";
  function colour(name) {
    var value = getComputedStyle(document.documentElement).getPropertyValue("--bs-" + name).trim();
    return value || "#6c757d";
  }
  function draw(canvas) {
    var spec;
    try {
      spec = JSON.parse(canvas.getAttribute("data-chart"));
    } catch (error) {
      return;
    }
    var line = spec.type === "line";
    var datasets = spec.datasets.map(function (set) {
      var c = colour(set.color);
      return {
        label: set.label,
        data: set.data,
        backgroundColor: c,
        borderColor: c,
        fill: false,
        tension: 0.2,
        pointRadius: line ? 2 : 0
      };
    });
    // Same grouping as the server-side numbers (es_PE writes 70,000).
    var lang = document.documentElement.lang || "es";
    var numberFormat = new Intl.NumberFormat(lang === "es" ? "es-PE" : lang);
    var valueAxis = { beginAtZero: true, stacked: !!spec.stacked, ticks: { callback: function (v) { return numberFormat.format(v); } } };
    var categoryAxis = { stacked: !!spec.stacked };
    new window.Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: spec.horizontal ? "y" : "x",
        animation: false,
        plugins: { legend: { position: "bottom" } },
        scales: spec.horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis }
      }
    });
  }
  function init() {
    if (!window.Chart) {
      return;
    }
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
