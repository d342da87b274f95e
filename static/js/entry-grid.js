/* The return's entry form moves like a spreadsheet: Enter in a box goes down to the same box
   of the next indicator (Tab and Shift+Tab move along as usual). No inline script (CSP). */
(function () {
  "use strict";
  function nextRowCell(field) {
    var row = field.closest("[data-entry-row]");
    var grid = field.closest("[data-entry-grid]");
    if (!row || !grid) { return null; }
    var rows = Array.prototype.slice.call(grid.querySelectorAll("[data-entry-row]"));
    for (var i = rows.indexOf(row) + 1; i < rows.length; i += 1) {
      var target = rows[i].querySelector('[data-col="' + field.getAttribute("data-col") + '"]');
      if (target) { return target; }
    }
    return null;
  }
  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (!field.matches || !field.matches("[data-entry-grid] input[data-col]")) { return; }
    event.preventDefault();
    var target = nextRowCell(field);
    if (target) {
      target.focus();
      if (target.select) { target.select(); }
    } else {
      field.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
})();
