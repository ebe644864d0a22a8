// The mapping preview (impor/tabel/pratinjau): name corrections are marked as they are typed,
// and Enter in a name moves to the next name instead of submitting the form (the form's
// buttons download, save or import). Event delegation on the document: the preview is
// replaced by htmx whenever a column's field changes, and these keep working on the new one.
(function () {
  "use strict";

  function names() {
    return Array.prototype.slice.call(document.querySelectorAll("input.nama-simpul"));
  }

  function mark(input) {
    var changed = input.value.trim() !== (input.dataset.asli || "");
    input.classList.toggle("diubah", changed);
    if (changed) {
      input.setAttribute("aria-description", "diubah dari nama tercetak: " + input.dataset.asli);
    } else {
      input.removeAttribute("aria-description");
    }
  }

  document.addEventListener("input", function (event) {
    var target = event.target;
    if (target instanceof HTMLInputElement && target.classList.contains("nama-simpul")) {
      mark(target);
    }
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key !== "Enter" || !(target instanceof HTMLInputElement)) {
      return;
    }
    if (target.classList.contains("nama-simpul")) {
      event.preventDefault();
      var all = names();
      var next = all[all.indexOf(target) + (event.shiftKey ? -1 : 1)];
      if (next) {
        next.focus();
        next.select();
      }
    } else if (target.id === "nama_pemetaan") {
      // Enter in the mapping's name saves it, as the button next to it does.
      event.preventDefault();
      var save = document.querySelector("button[name=aksi][value=simpan]");
      if (save) {
        save.click();
      }
    }
  });

  function markAll() {
    names().forEach(mark);
  }
  document.addEventListener("DOMContentLoaded", markAll);
  document.addEventListener("htmx:afterSettle", markAll);
})();
