// The legislator picker (templates/legislature/_picker.html): search-as-you-type results become removable chips.
// Shared by the meeting form, the quick log and the media mention form.
(function () {
  "use strict";

  function announce(picker) {
    picker.dispatchEvent(new CustomEvent("picked", { bubbles: true }));
  }

  function chip(picker, id, name) {
    var field = picker.getAttribute("data-name") || "legislator_ids";
    var span = document.createElement("span");
    span.className = "badge rounded-pill text-bg-primary fs-6 d-inline-flex align-items-center gap-1 py-2";
    span.setAttribute("data-chip", "");
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = field;
    input.value = id;
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "btn-close btn-close-white btn-sm";
    remove.setAttribute("data-unpick", "");
    remove.setAttribute("aria-label", (picker.getAttribute("data-remove-label") || "Quitar") + " " + name);
    span.appendChild(input);
    span.appendChild(document.createTextNode(name));
    span.appendChild(remove);
    return span;
  }

  function pick(picker, button) {
    var id = button.getAttribute("data-pick");
    var name = button.getAttribute("data-pick-name");
    var picked = picker.querySelector("[data-picked]");
    if (picker.hasAttribute("data-single")) {
      picked.innerHTML = "";
    }
    if (!picked.querySelector('input[value="' + id + '"]')) {
      picked.appendChild(chip(picker, id, name));
    }
    var search = picker.querySelector("[data-search]");
    var results = picker.querySelector("[data-results]");
    if (search) { search.value = ""; search.focus(); }
    if (results) { results.innerHTML = ""; }
    announce(picker);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-pick]");
    var picker = event.target.closest("[data-picker]");
    if (button && picker) {
      event.preventDefault();
      pick(picker, button);
      return;
    }
    var remove = event.target.closest("[data-unpick]");
    if (remove && picker) {
      event.preventDefault();
      remove.closest("[data-chip]").remove();
      announce(picker);
    }
  });

  // Enter in the search box picks the only match instead of submitting the form.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target.matches("[data-search]")) {
      return;
    }
    event.preventDefault();
    var picker = event.target.closest("[data-picker]");
    var matches = picker.querySelectorAll("[data-results] [data-pick]");
    if (matches.length === 1) {
      pick(picker, matches[0]);
    }
  });
})();
