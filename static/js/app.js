// Cabildeo front-end glue. No inline scripts anywhere, so a strict CSP holds.
(function () {
  "use strict";
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRFToken"] = csrfToken();
  });
  // Elements with data-confirm ask before submitting a destructive form.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // Forms with data-busy="words" that take seconds (an import's dry run): once submitted, the submit buttons
  // are disabled and show a spinner with those words, so nobody wonders whether anything is happening or
  // sends the file twice. Disabled after the submit event, so the clicked button's value is still sent.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var words = form.getAttribute("data-busy");
    if (!words || event.defaultPrevented) {
      return;
    }
    window.setTimeout(function () {
      form.setAttribute("aria-busy", "true");
      form.querySelectorAll("button[type=submit], button:not([type])").forEach(function (button) {
        if (!button.hasAttribute("data-idle-html")) { button.setAttribute("data-idle-html", button.innerHTML); }
        button.disabled = true;
        var spinner = document.createElement("span");
        spinner.className = "spinner-border spinner-border-sm me-2";
        spinner.setAttribute("aria-hidden", "true");
        button.replaceChildren(spinner, document.createTextNode(words));
      });
      var status = form.querySelector("[data-busy-status]");
      if (status) { status.textContent = words; }
    }, 0);
  });
  // Back to a busy form with the browser's back button: it is usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-busy][aria-busy]").forEach(function (form) {
      form.removeAttribute("aria-busy");
      form.querySelectorAll("button[data-idle-html]").forEach(function (button) {
        button.innerHTML = button.getAttribute("data-idle-html");
        button.disabled = false;
      });
      var status = form.querySelector("[data-busy-status]");
      if (status) { status.textContent = ""; }
    });
  });
  // Elements with data-autosubmit submit their form when changed (filters).
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosubmit]")) {
      event.target.form.requestSubmit();
    }
  });
})();
