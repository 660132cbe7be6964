// Outreach forms: guards shared by the meeting form and the quick log.
(function () {
  "use strict";

  // A double tap on a slow phone connection must not log the same meeting twice.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("[data-quick-log], #interaction-form") || event.defaultPrevented) {
      return;
    }
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = true; });
    }, 0);
  });
  // Coming back with the browser's back button must not leave the buttons disabled.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("[data-quick-log] button[type=submit], #interaction-form button[type=submit]").forEach(function (button) {
      button.disabled = false;
    });
  });
})();
