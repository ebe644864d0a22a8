// The comment panel of a line (issue 16, point 3). A line's button fetches its panel (htmx,
// into #komentar-isi); this file opens it as a modal dialog, moves the focus into it, and gives
// the focus back to the line's button when Esc or "Tutup" closes it. Shift+F2 in a cell opens
// its line's comments, as in a spreadsheet; a link to a cell (#sel-k-12) puts the cursor in it.
(function () {
  "use strict";
  var dialog = document.getElementById("panel-komentar");
  var isi = document.getElementById("komentar-isi");
  if (!dialog || !isi) return;
  var opener = null;

  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("button.km");
    if (button) opener = button.id;
  });

  document.body.addEventListener("htmx:afterSwap", function (e) {
    if (e.detail.target !== isi) return;
    var fresh = opener && document.getElementById(opener); // put anew by the answer
    if (fresh && editableRow(fresh)) fresh.setAttribute("tabindex", "-1");
    if (!dialog.open) dialog.showModal();
    var focus = isi.querySelector("[data-fokus]") || isi.querySelector("textarea") ||
      document.getElementById("judul-komentar");
    if (focus) focus.focus();
  });

  // A row with an editable cell keeps its button out of the Tab order (Tab goes from cell to
  // cell, Shift+F2 opens the comments), also the button an answer put anew in its place.
  function editableRow(button) {
    var row = button.closest("tr");
    return row && row.querySelector("input[name=nilai]");
  }

  dialog.addEventListener("close", function () {
    isi.textContent = "";
    var back = opener && document.getElementById(opener); // the button may have been replaced
    if (!back) return;
    var cell = editableRow(back);
    (cell || back).focus(); // back in the row's cell where there is one, else on its button
  });
  dialog.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[data-tutup]")) dialog.close();
  });

  document.addEventListener("keydown", function (e) {
    if (e.key !== "F2" || !e.shiftKey || dialog.open) return;
    var row = e.target.closest && e.target.closest("tr");
    var button = row && row.querySelector("button.km");
    if (button) {
      e.preventDefault();
      button.click();
    }
  });

  function toCell() {
    var found = /^#sel-((?:k|rp)-\d+)$/.exec(window.location.hash);
    if (!found) return;
    var target = document.getElementById("in-" + found[1]) || document.getElementById("km-" + found[1]);
    if (!target) return;
    target.scrollIntoView({ block: "center" });
    target.focus();
    if (target.select) target.select();
  }
  // The browser's own move to the fragment (once the page has loaded) takes the focus off
  // whatever has it, so the cursor is put in the cell after that.
  if (document.readyState === "complete") toCell();
  else window.addEventListener("load", function () { setTimeout(toCell, 0); });
  window.addEventListener("hashchange", function () { setTimeout(toCell, 0); });
})();
