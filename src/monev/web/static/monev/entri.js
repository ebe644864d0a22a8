// The entry grid as a spreadsheet (issue 16): keys move like Excel, every cell saves itself
// through the same endpoint and fields as before (nilai, versi), pasting a column fills the cells
// below, the empty count stays current, and the narrative saves itself as it is typed.
// The server computes and formats every number; this file only moves values and focus.
(function () {
  "use strict";
  var grid = document.getElementById("grid-entri");
  if (!grid) return;
  var csrf = (document.cookie.split("; ").find(function (c) { return c.indexOf("csrftoken=") === 0; }) || "").split("=")[1] || "";
  var bodyHeaders = document.body.getAttribute("hx-headers");
  if (bodyHeaders) {
    try { csrf = JSON.parse(bodyHeaders)["X-CSRFToken"] || csrf; } catch (e) { /* keep the cookie's */ }
  }
  var pesan = document.getElementById("pesan-entri");
  var pending = 0;

  function inputs(kolom) {
    var all = grid.querySelectorAll("input[name=nilai]");
    return Array.prototype.filter.call(all, function (i) { return !kolom || i.dataset.kolom === kolom; });
  }

  function say(text) { if (pesan) pesan.textContent = text; }

  // One save at a time, in the order they were asked for: each carries the version the previous
  // answer gave, and the server never sees two writes of one page race (a pasted column is ten).
  var queue = Promise.resolve();

  function apply(cell, input, html, status, sent) {
    var tpl = document.createElement("template");
    tpl.innerHTML = html;
    var frag = tpl.content;
    frag.querySelectorAll("template[data-ganti]").forEach(function (t) {
      var target = document.getElementById(t.dataset.ganti);
      if (target) target.innerHTML = t.innerHTML;
      t.remove();
    });
    var fresh = frag.querySelector("input[name=nilai]");
    if (!fresh) return;
    // Patch the live field instead of replacing it: focus and anything typed since stay.
    ["hx-vals", "data-keadaan", "aria-invalid"].forEach(function (a) {
      if (fresh.hasAttribute(a)) input.setAttribute(a, fresh.getAttribute(a));
      else input.removeAttribute(a);
    });
    if (status !== 422) input.dataset.tersimpan = fresh.dataset.tersimpan;
    var typedSince = input.value !== sent;
    if (!typedSince) input.value = fresh.value;
    cell.querySelectorAll(".mark, .cell-error, input[type=hidden]").forEach(function (n) { n.remove(); });
    Array.prototype.forEach.call(frag.querySelectorAll(".mark, .cell-error, input[type=hidden]"), function (n) {
      cell.appendChild(n);
    });
  }

  function fields(cell, input) {
    var data = new URLSearchParams();
    data.set("nilai", input.value);
    // The version travels as every cell carries it (hx-vals: {"versi": "N"}); no htmx trigger
    // is set on the grid's fields, so only this posts them.
    var vals = input.getAttribute("hx-vals");
    if (vals) {
      try {
        var parsed = JSON.parse(vals);
        Object.keys(parsed).forEach(function (k) { data.set(k, parsed[k]); });
      } catch (e) { /* a malformed attribute posts no version: the server answers 409 */ }
    }
    cell.querySelectorAll("input[type=hidden][name]").forEach(function (h) { data.set(h.name, h.value); });
    return data;
  }

  function save(input) {
    var cell = input.closest("td");
    var next = queue.then(function () {
      var sent = input.value;
      if (sent === input.dataset.tersimpan && input.dataset.keadaan !== "galat") return null;
      pending += 1;
      cell.dataset.menyimpan = "1";
      return fetch(input.dataset.url, {
        method: "POST",
        headers: { "X-CSRFToken": csrf, "HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded" },
        body: fields(cell, input).toString(),
        credentials: "same-origin",
      }).then(function (r) {
        return r.text().then(function (html) {
          if (r.status === 200 || r.status === 409 || r.status === 422) apply(cell, input, html, r.status, sent);
          else {
            input.dataset.keadaan = "galat";
            say("Sel " + input.getAttribute("aria-label") + " tidak tersimpan (kode " + r.status + "); coba lagi.");
          }
        });
      }, function () {
        input.dataset.keadaan = "galat";
        say("Sambungan ke server terputus; sel " + input.getAttribute("aria-label") + " belum tersimpan.");
      }).then(function () {
        pending -= 1;
        delete cell.dataset.menyimpan;
        refreshEmpty();
        refreshSummarySoon();
      });
    });
    queue = next;
    return next;
  }

  function allSaved() {
    return queue;
  }

  function move(input, step) {
    var column = inputs(input.dataset.kolom);
    var at = column.indexOf(input) + step;
    if (at >= 0 && at < column.length) {
      column[at].focus();
      column[at].select();
    }
  }

  function nextEmpty(from) {
    var all = inputs();
    var start = from ? all.indexOf(from) + 1 : 0;
    for (var n = 0; n < all.length; n++) {
      var candidate = all[(start + n) % all.length];
      if (candidate.dataset.tersimpan === "" && candidate !== from) {
        candidate.focus();
        candidate.select();
        return;
      }
    }
    say("Tidak ada sel kosong lagi di triwulan ini.");
  }

  // The summary before Ajukan (empty cells, the engine's findings) is fetched again a moment
  // after the last save; the server computes it, as it computes every number.
  var summary = document.getElementById("ringkasan-isi");
  var summaryTimer = null;
  function refreshSummarySoon() {
    if (!summary) return;
    if (summaryTimer) clearTimeout(summaryTimer);
    summaryTimer = setTimeout(function () {
      summaryTimer = null;
      if (pending > 0) { refreshSummarySoon(); return; }
      fetch(summary.dataset.url, { headers: { "HX-Request": "true" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html === null || pending > 0) return;
          summary.innerHTML = html;
          emptySummary = document.getElementById("ringkas-kosong");
          emptyList = document.getElementById("daftar-kosong");
          refreshEmpty();
        }, function () { /* the page's own summary stays; the next save tries again */ });
    }, 1200);
  }

  var emptyCount = document.getElementById("jumlah-kosong");
  var emptySummary = document.getElementById("ringkas-kosong");
  var emptyList = document.getElementById("daftar-kosong");

  function label(input) {
    var row = input.closest("tr");
    var kode = row.querySelector(".c-kode").textContent.trim();
    var uraian = row.querySelector(".c-uraian").firstChild.textContent.trim();
    if (!kode) {
      var up = row.previousElementSibling;
      while (up && !up.classList.contains("node")) up = up.previousElementSibling;
      if (up) kode = up.querySelector(".c-kode").textContent.trim();
    }
    return input.dataset.kolom === "rp" ? kode + " · realisasi Rp" : kode + " · " + uraian;
  }

  function refreshEmpty() {
    var empty = inputs().filter(function (i) { return i.dataset.tersimpan === ""; });
    if (emptyCount) emptyCount.textContent = empty.length;
    if (emptySummary) emptySummary.textContent = empty.length;
    if (emptyList) {
      emptyList.textContent = "";
      empty.slice(0, 50).forEach(function (i) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        var sel = i.id.slice(3);
        a.href = "#sel-" + sel;
        a.dataset.sel = sel;
        a.textContent = label(i);
        li.appendChild(a);
        emptyList.appendChild(li);
      });
      if (empty.length > 50) {
        var more = document.createElement("li");
        more.textContent = "… dan " + (empty.length - 50) + " sel kosong lainnya (Ctrl+Enter)";
        emptyList.appendChild(more);
      }
    }
    return empty.length;
  }

  // Excel copies a column as lines (tab-separated when several columns): the first field of
  // each line goes to this cell and the ones below it in the same column; each saves itself.
  function paste(input, text) {
    var lines = text.replace(/\r\n?/g, "\n").replace(/\n$/, "").split("\n");
    var column = inputs(input.dataset.kolom);
    var at = column.indexOf(input);
    var filled = 0;
    lines.forEach(function (line, n) {
      var target = column[at + n];
      if (!target) return;
      target.value = line.split("\t")[0].trim();
      save(target);
      filled += 1;
    });
    var left = lines.length - filled;
    say(filled + " sel diisi dari tempelan" + (left > 0 ? "; " + left + " nilai terakhir tidak punya sel di bawahnya." : "."));
    var last = column[at + filled - 1];
    if (last) last.focus();
  }

  grid.addEventListener("keydown", function (e) {
    var input = e.target;
    if (!(input instanceof HTMLInputElement) || input.name !== "nilai") return;
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      save(input);
      nextEmpty(input);
    } else if (e.key === "Enter" || e.key === "ArrowDown") {
      e.preventDefault();
      save(input);
      move(input, e.shiftKey && e.key === "Enter" ? -1 : 1);
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      save(input);
      move(input, -1);
    } else if (e.key === "Escape") {
      e.preventDefault();
      input.value = input.dataset.tersimpan || "";
      input.select();
      say("Nilai dikembalikan ke yang tersimpan.");
    }
  });
  // The grid scrolls in its own box under the sticky toolbar: when a cell takes the focus, the
  // page is scrolled so that the whole box (and so its sticky header) is in view.
  var toolbar = document.getElementById("bilah-entri");
  grid.addEventListener("focusin", function () {
    var top = grid.getBoundingClientRect().top;
    var below = toolbar ? toolbar.getBoundingClientRect().bottom : 0;
    var bottom = grid.getBoundingClientRect().bottom;
    if (top < below || bottom > window.innerHeight) window.scrollBy(0, top - below);
  });
  grid.addEventListener("change", function (e) {
    if (e.target.name === "nilai") save(e.target);
  });
  grid.addEventListener("paste", function (e) {
    var input = e.target;
    if (!(input instanceof HTMLInputElement) || input.name !== "nilai") return;
    var text = (e.clipboardData || window.clipboardData).getData("text");
    if (!/[\n\t]/.test(text.replace(/\r?\n$/, ""))) return; // one value: an ordinary paste
    e.preventDefault();
    paste(input, text);
  });

  var jump = document.getElementById("ke-kosong");
  if (jump) jump.addEventListener("click", function () { nextEmpty(null); });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !(e.target.name === "nilai")) {
      if (e.target.tagName === "TEXTAREA") return;
      e.preventDefault();
      nextEmpty(null);
    }
  });

  // A link to a cell (empty cells, findings) puts the cursor in it.
  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("a[data-sel]");
    if (!link) return;
    var field = document.getElementById("in-" + link.dataset.sel);
    if (field) {
      e.preventDefault();
      field.scrollIntoView({ block: "center" });
      field.focus();
      field.select();
    }
  });

  // The narrative saves itself a moment after typing stops, one save at a time (each carries
  // the version the previous answer gave); Ajukan and leaving the page wait for it.
  var narasi = document.getElementById("form-narasi");
  var narasiStatus = document.getElementById("narasi-status");
  var narasiQueue = Promise.resolve();
  var narasiDirty = false;
  var timer = null;

  function saveNarasi() {
    if (timer) { clearTimeout(timer); timer = null; }
    if (!narasi || !narasiDirty) return narasiQueue;
    narasiQueue = narasiQueue.then(function () {
      if (!narasiDirty) return null;
      narasiDirty = false;
      if (narasiStatus) narasiStatus.textContent = "Menyimpan narasi…";
      return fetch(narasi.action, {
        method: "POST",
        headers: { "X-CSRFToken": csrf, "HX-Request": "true" },
        body: new FormData(narasi),
        credentials: "same-origin",
      }).then(function (r) {
        return r.text().then(function (html) {
          var tpl = document.createElement("template");
          tpl.innerHTML = html;
          var versi = tpl.content.querySelector("input[name=versi]");
          var own = narasi.querySelector("input[name=versi]");
          if (versi && own) own.value = versi.value;
          var status = tpl.content.querySelector("span");
          if (narasiStatus) narasiStatus.textContent = status ? status.textContent : "";
          if (r.status !== 200) narasiDirty = true; // keep it marked unsaved: the text is still here
        });
      }, function () {
        narasiDirty = true;
        if (narasiStatus) narasiStatus.textContent = "Narasi belum tersimpan: sambungan terputus.";
      });
    });
    return narasiQueue;
  }

  if (narasi) {
    narasi.addEventListener("input", function () {
      narasiDirty = true;
      if (narasiStatus) narasiStatus.textContent = "Belum tersimpan…";
      if (timer) clearTimeout(timer);
      timer = setTimeout(saveNarasi, 800);
    });
    narasi.addEventListener("submit", function (e) {
      e.preventDefault();
      narasiDirty = true;
      saveNarasi();
    });
  }

  var ajukan = document.getElementById("form-ajukan");
  var dialog = document.getElementById("konfirmasi-ajukan");
  if (ajukan) {
    ajukan.addEventListener("submit", function (e) {
      if (ajukan.dataset.siap === "1") return;
      e.preventDefault();
      var active = document.activeElement;
      if (active && active.name === "nilai") save(active);
      Promise.all([saveNarasi(), allSaved()]).then(function () {
        // Never submit past something typed and not stored: say so and put the cursor there.
        if (narasiDirty) {
          if (narasiStatus) narasiStatus.textContent = "Narasi belum tersimpan; laporan belum diajukan. " + narasiStatus.textContent;
          narasi.querySelector("textarea").focus();
          return;
        }
        var unsaved = inputs().filter(function (i) { return i.value !== i.dataset.tersimpan; })[0];
        if (unsaved) {
          say("Sel " + unsaved.getAttribute("aria-label") + " berisi nilai yang belum tersimpan; perbaiki dulu, laporan belum diajukan.");
          unsaved.focus();
          return;
        }
        var empty = refreshEmpty();
        if (empty > 0 && dialog && dialog.showModal) {
          dialog.querySelector(".jumlah").textContent = empty;
          dialog.showModal();
          return;
        }
        ajukan.dataset.siap = "1";
        ajukan.submit();
      });
    });
  }
  if (dialog) {
    dialog.querySelector("#ajukan-ya").addEventListener("click", function () {
      ajukan.querySelector("input[name=konfirmasi_kosong]").value = "1";
      ajukan.dataset.siap = "1";
      dialog.close();
      ajukan.submit();
    });
    dialog.querySelector("#ajukan-tidak").addEventListener("click", function () {
      dialog.close();
      nextEmpty(null);
    });
  }

  // Like a spreadsheet opening on its cursor: the first empty cell (else the first) takes the
  // focus, so the keyboard starts in the grid, not 20 Tab presses before it; a link to a place
  // on the page (#…) wins.
  if (!window.location.hash) {
    var start = inputs().filter(function (i) { return i.dataset.tersimpan === ""; })[0] || inputs()[0];
    if (start) start.focus();
  }

  window.addEventListener("beforeunload", function (e) {
    if (narasiDirty || pending > 0) {
      saveNarasi();
      e.preventDefault();
      e.returnValue = "";
    }
  });
})();
