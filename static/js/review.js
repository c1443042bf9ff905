/* The review desk: keyboard shortcuts, the help overlay, candidate <-> highlight
   sync, and text selection for span correction. No framework; htmx does the
   requests. Keys are read by their physical position (event.code) so they work
   with a Persian keyboard layout too. */
(function () {
  "use strict";
  // A boosted page swap must not bind the handlers twice.
  if (window.deskReviewReady) return;
  window.deskReviewReady = true;

  var current = null; // id (string) of the current candidate

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  function toast(message, isError) {
    var box = $("#toast");
    if (!box) return;
    box.textContent = message;
    box.className = "toast" + (isError ? " error" : "");
    box.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { box.hidden = true; }, 5000);
  }

  /* ---- Help overlay ---- */
  function toggleHelp(open) {
    var dialog = $("#help");
    if (!dialog || typeof dialog.showModal !== "function") return;
    if (open === undefined) open = !dialog.open;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }

  /* ---- Candidates and highlights ---- */
  function cards() { return $all(".cand[data-cand]"); }

  function markCurrent(id, scroll) {
    current = id ? String(id) : null;
    cards().forEach(function (card) {
      card.classList.toggle("current", card.dataset.cand === current);
    });
    var firstMark = null;
    $all("#article-body mark[data-a]").forEach(function (mark) {
      var on = current !== null && mark.dataset.a.split(" ").indexOf(current) !== -1;
      mark.classList.toggle("current", on);
      if (on && !firstMark) firstMark = mark;
    });
    var card = current ? document.getElementById("cand-" + current) : null;
    if (scroll && card) {
      card.scrollIntoView({ block: "nearest" });
      card.focus({ preventScroll: true });
      if (firstMark) firstMark.scrollIntoView({ block: "nearest" });
    }
  }

  function move(step, onlyPending) {
    var list = cards();
    if (!list.length) return;
    var index = list.findIndex(function (c) { return c.dataset.cand === current; });
    for (var i = 1; i <= list.length; i++) {
      var pos = index === -1 ? (step > 0 ? i - 1 : list.length - i)
        : (((index + step * i) % list.length) + list.length) % list.length;
      var next = list[pos];
      if (!onlyPending || next.classList.contains("state-pending")) {
        markCurrent(next.dataset.cand, true);
        return;
      }
    }
    toast("نامزد بررسی‌نشده‌ای نمانده است.");
  }

  function openAction(name) {
    var card = current ? document.getElementById("cand-" + current) : null;
    if (!card) { move(1, true); card = current ? document.getElementById("cand-" + current) : null; }
    if (!card) return;
    var details = $('details[data-act="' + name + '"]', card);
    if (!details) { toast(card.classList.contains("state-dismissed") ? "این نامزد رد شده است." : "این کار برای این نامزد نیست.", true); return; }
    $all("details.act[open]", card).forEach(function (d) { if (d !== details) d.open = false; });
    details.open = true;
    var field = $("textarea, input[type=search], select, input:not([type=hidden]), button[type=submit]", details);
    if (name === "accept") field = $("button[type=submit]", details) || field;
    if (field) field.focus();
    details.scrollIntoView({ block: "nearest" });
  }

  /* ---- Span correction by selecting text ---- */
  function codePoints(text) { return Array.from(text).length; }

  function pointOffset(node, offset) {
    var body = $("#article-body");
    if (node.nodeType === Node.TEXT_NODE) {
      var seg = node.parentElement.closest("[data-s]");
      if (!seg) return null;
      return Number(seg.dataset.s) + codePoints(node.data.slice(0, offset));
    }
    if (node === body) {
      var child = body.children[offset];
      if (child) return Number(child.dataset.s);
      var last = body.lastElementChild;
      return last ? Number(last.dataset.s) + codePoints(last.textContent) : 0;
    }
    var el = node.closest ? node.closest("[data-s]") : null;
    if (!el) return null;
    return Number(el.dataset.s) + (offset > 0 ? codePoints(el.textContent) : 0);
  }

  function openSpanForm() {
    var open = $("details.span-edit[open]");
    return open ? $("form.span-form", open) : null;
  }

  function onSelection() {
    var form = openSpanForm();
    var body = $("#article-body");
    if (!form || !body) return;
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
    var range = sel.getRangeAt(0);
    if (!body.contains(range.startContainer) || !body.contains(range.endContainer)) return;
    var start = pointOffset(range.startContainer, range.startOffset);
    var end = pointOffset(range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) return;
    form.elements.start.value = start;
    form.elements.end.value = end;
    var preview = $(".selection-preview", form);
    var text = sel.toString();
    preview.textContent = "«" + (text.length > 160 ? text.slice(0, 160) + "…" : text) + "»";
    $("button[type=submit]", form).disabled = false;
  }

  function syncSelecting() {
    document.body.classList.toggle("selecting", !!openSpanForm());
  }

  /* ---- Events ---- */
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if (e.key === "Escape") {
      var openDetails = $all("details.act[open]");
      if (openDetails.length) { openDetails.forEach(function (d) { d.open = false; }); syncSelecting(); if (current) markCurrent(current, true); }
      return;
    }
    // Ctrl/Cmd+Enter sends the form being typed in (the claim text, a note, a reason)
    if (typing && e.key === "Enter" && (e.ctrlKey || e.metaKey) && t.form) {
      e.preventDefault();
      if (typeof t.form.requestSubmit === "function") t.form.requestSubmit(); else t.form.submit();
      return;
    }
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "?" || e.key === "؟" || (e.code === "Slash" && e.shiftKey)) { e.preventDefault(); toggleHelp(); return; }
    if (!$("#cand-list")) return;
    var actions = { KeyA: "accept", KeyL: "link", KeyD: "dismiss", KeyS: "source", KeyE: "span" };
    if (e.code === "KeyJ" || e.key === "ArrowDown") { e.preventDefault(); move(1, false); }
    else if (e.code === "KeyK" || e.key === "ArrowUp") { e.preventDefault(); move(-1, false); }
    else if (e.code === "KeyN") { e.preventDefault(); move(1, true); }
    else if (actions[e.code]) { e.preventDefault(); openAction(actions[e.code]); syncSelecting(); }
  });

  document.addEventListener("click", function (e) {
    var helpButton = e.target.closest("[data-help-open]");
    if (helpButton) { toggleHelp(true); return; }
    var confirmButton = e.target.closest("[data-confirm]");
    if (confirmButton && !window.confirm(confirmButton.dataset.confirm)) { e.preventDefault(); return; }
    var mark = e.target.closest("#article-body mark[data-a]");
    if (mark && window.getSelection().isCollapsed) {
      var ids = mark.dataset.a.split(" ");
      var pick = ids.find(function (id) {
        var c = document.getElementById("cand-" + id);
        return c && c.classList.contains("state-pending");
      }) || ids[0];
      markCurrent(pick, true);
      return;
    }
    var card = e.target.closest(".cand[data-cand]");
    if (card && card.dataset.cand !== current) markCurrent(card.dataset.cand, false);
  });

  document.addEventListener("toggle", function (e) {
    if (e.target.matches && e.target.matches("details.span-edit")) syncSelecting();
  }, true);
  document.addEventListener("mouseup", function () { setTimeout(onSelection, 0); });
  document.addEventListener("keyup", function (e) { if (e.shiftKey) onSelection(); });

  // A decision sent from a pending card (accept, link, dismiss): once the card
  // comes back decided, the cursor moves on to the next pending candidate.
  var deciding = null;
  document.body.addEventListener("htmx:beforeRequest", function (e) {
    var elt = e.detail && e.detail.elt;
    var card = elt && elt.closest ? elt.closest(".cand.state-pending[data-cand]") : null;
    deciding = card && (e.detail.requestConfig || {}).verb === "post" ? card.dataset.cand : null;
  });
  document.body.addEventListener("htmx:afterSettle", function (e) {
    var target = e.detail && e.detail.elt;
    if (target && target.id && target.id.indexOf("cand-") === 0 && !current) current = target.id.slice(5);
    var decided = deciding ? document.getElementById("cand-" + deciding) : null;
    if (decided && !decided.classList.contains("state-pending")) {
      deciding = null;
      markCurrent(decided.dataset.cand, false);
      move(1, true);
      return;
    }
    if (current && document.getElementById("cand-" + current)) markCurrent(current, false);
  });
  document.body.addEventListener("htmx:responseError", function (e) {
    var status = e.detail.xhr ? e.detail.xhr.status : 0;
    var messages = {
      403: "شما اجازهٔ این کار را ندارید.",
      404: "این مورد پیدا نشد؛ شاید کس دیگری آن را تغییر داده است. صفحه را تازه کنید.",
      409: "این کار با وضعیت کنونی سازگار نیست؛ صفحه را تازه کنید."
    };
    toast(messages[status] || "درخواست انجام نشد (" + status + ")؛ دوباره تلاش کنید.", true);
  });
  document.body.addEventListener("htmx:sendError", function () { toast("ارتباط با کارساز برقرار نشد.", true); });

  function start() {
    var match = /^#cand-(\d+)$/.exec(window.location.hash);
    if (match && document.getElementById("cand-" + match[1])) markCurrent(match[1], true);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
