// The header's search box: htmx fills the panel while typing; this closes it on Escape, on a click elsewhere,
// and when the box is emptied, and lets the arrow keys walk from the box into the results.
(function () {
  "use strict";
  function panelOf(node) {
    var form = node && node.closest ? node.closest("[data-site-search]") : null;
    return form ? form.querySelector(".site-search-panel") : null;
  }
  function close(panel) {
    if (panel) { panel.innerHTML = ""; }
  }
  document.addEventListener("keydown", function (event) {
    var panel = panelOf(event.target);
    if (!panel) { return; }
    if (event.key === "Escape") {
      close(panel);
      var input = panel.parentNode.querySelector("input[type=search]");
      if (input) { input.focus(); }
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      var links = Array.prototype.slice.call(panel.querySelectorAll("a"));
      if (!links.length) { return; }
      var at = links.indexOf(document.activeElement);
      var next = event.key === "ArrowDown" ? Math.min(at + 1, links.length - 1) : at - 1;
      event.preventDefault();
      if (next < 0) {
        panel.parentNode.querySelector("input[type=search]").focus();
      } else {
        links[next].focus();
      }
    }
  });
  document.addEventListener("click", function (event) {
    document.querySelectorAll("[data-site-search]").forEach(function (form) {
      if (!form.contains(event.target)) { close(form.querySelector(".site-search-panel")); }
    });
  });
  document.addEventListener("input", function (event) {
    if (event.target.matches("[data-site-search] input[type=search]") && !event.target.value.trim()) {
      close(panelOf(event.target));
    }
  });
})();
