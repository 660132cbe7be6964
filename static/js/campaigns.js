// Campaigns: the weekly trend chart, the live whip board and the whip list's "select all". Loaded only on
// campaign pages.
(function () {
  "use strict";

  // The JSON keeps ISO days; the chart shows them as the page's language writes dates ("17 sept", "Sep 17").
  var dayFormat = new Intl.DateTimeFormat(document.documentElement.lang || undefined,
    { day: "numeric", month: "short", timeZone: "UTC" });
  function weekLabel(iso) {
    var day = new Date(iso + "T00:00:00Z");
    return isNaN(day) ? iso : dayFormat.format(day);
  }

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
          data: { labels: data.labels.map(weekLabel), datasets: datasets },
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

  // The live whip board polls itself (hx-trigger="every Ns" on [data-board-poll]). Each poll names the board it
  // shows (If-None-Match, kept on [data-board-etag]); an unchanged board answers 304, which htmx would swap in
  // as an empty board, so a 304 is told to leave it as it is.
  var boardDetails = {};

  function isBoard(elt) { return elt && elt.hasAttribute && elt.hasAttribute("data-board-poll"); }

  function etagHolder(elt) { return elt.closest("[data-board-etag]"); }

  document.addEventListener("htmx:configRequest", function (event) {
    var holder = isBoard(event.detail.elt) && etagHolder(event.detail.elt);
    if (holder && holder.getAttribute("data-board-etag")) {
      event.detail.headers["If-None-Match"] = holder.getAttribute("data-board-etag");
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var board = event.detail.elt;
    if (!isBoard(board)) { return; }
    // Someone editing a stance (an open editor not yet saved) or picking a filter on the board would lose it to
    // a swap: wait for the next poll.
    var editing = Array.prototype.some.call(board.querySelectorAll("form.stance-control"), function (form) {
      return !form.querySelector("[role=status]");
    });
    var active = document.activeElement;
    if (editing || (active && board.contains(active) && active.matches("input, select, textarea"))) {
      event.preventDefault();
    }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var board = event.detail.elt;
    if (!isBoard(board)) { return; }
    if (event.detail.xhr.status === 304) {
      event.detail.shouldSwap = false;
      return;
    }
    var holder = etagHolder(board);
    if (holder) { holder.setAttribute("data-board-etag", event.detail.xhr.getResponseHeader("ETag") || ""); }
    boardDetails = {};
    board.querySelectorAll("details[id]").forEach(function (d) { boardDetails[d.id] = d.open; });
  });

  document.addEventListener("htmx:afterSettle", function () {
    // Sections the reader opened or closed stay that way after the board is replaced.
    Object.keys(boardDetails).forEach(function (id) {
      var details = document.getElementById(id);
      if (details && details.open !== boardDetails[id]) { details.open = boardDetails[id]; }
    });
    boardDetails = {};
  });

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
