/* Names for the controls the admin's own scripts build: the autocomplete boxes
   (select2) take their field's label, and the search icon of the two-box
   selector gets the role its aria-label needs. Runs again for rows added later
   (inline "add another") through a MutationObserver. */
(function () {
  "use strict";
  function labelText(select) {
    var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    return label ? label.textContent.replace(/[:：]\s*$/, "").trim() : "";
  }
  function fix(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var name = labelText(select) || select.name;
      var container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2")) return;
      container.querySelectorAll('[role="combobox"], [role="textbox"]').forEach(function (el) {
        if (!el.getAttribute("aria-label")) el.setAttribute("aria-label", name);
      });
    });
    // Tabular inlines label their inputs by the column header only.
    document.querySelectorAll(".tabular table").forEach(function (table) {
      var heads = table.tHead ? table.tHead.rows[0].cells : [];
      table.querySelectorAll("tbody td").forEach(function (td) {
        var head = heads[td.cellIndex];
        var name = head ? head.textContent.replace(/\s+/g, " ").trim() : "";
        if (!name) return;
        td.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (field) {
          var labelled = field.id && document.querySelector('label[for="' + field.id + '"]');
          if (!labelled && !field.getAttribute("aria-label")) field.setAttribute("aria-label", name);
        });
      });
    });
    // A table wider than a phone scrolls in its box: reachable by keyboard, and named.
    document.querySelectorAll(".inline-group .tabular, #changelist .results").forEach(function (box) {
      if (box.scrollWidth <= box.clientWidth || box.hasAttribute("tabindex")) return;
      var group = box.closest(".inline-group");
      var heading = box.querySelector("h2") || (group && group.querySelector("h2"));
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", heading ? heading.textContent.replace(/\s+/g, " ").trim() : "فهرست");
    });
    document.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (span) {
      span.setAttribute("role", "img");
    });
  }
  function start() {
    fix(document);
    new MutationObserver(function (records) {
      records.forEach(function (r) { if (r.addedNodes.length) fix(document); });
    }).observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "complete") start(); else window.addEventListener("load", start);
})();
