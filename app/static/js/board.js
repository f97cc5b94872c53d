// The participants' board: moves without a reload, and drag and drop.
// Every card already moves with plain forms (← / stage / →) that work from the keyboard
// and without JavaScript; this file posts those same forms with fetch, swaps in the
// re-rendered board and budget, announces the move in the page's live region and puts
// the focus back where it was, so that pressing → again moves the card one more column.
// A move the server wants confirmed (409 with `confirm`) is asked with the browser's own
// dialog, and re-posted with confirm=1 only on yes.
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function start() {
    var region = document.getElementById("board-region");
    if (!region) { return; }
    var status = document.getElementById("board-status");
    var budget = document.getElementById("budget-region");

    function announce(text) {
      // Emptied first, so that the same message twice is announced twice.
      status.textContent = "";
      window.setTimeout(function () { status.textContent = text; }, 30);
    }

    function refocus(id, hint) {
      var card = document.getElementById("participant-" + id);
      if (!card) { return; }
      var target = null;
      if (hint === "prev" || hint === "next" || hint === "choose") {
        target = card.querySelector('[data-move="' + hint + '"]');
      }
      (target || card).focus();
      card.scrollIntoView({ block: "nearest", inline: "nearest" });
    }

    var busy = false;  // one move at a time: a second Enter waits for the first answer

    // A move that asks first (the server answers 409 with `confirm`): the browser's own
    // dialog asks the question; yes re-posts the move with confirm=1, no puts the card's
    // stage list back and says that nothing moved.
    function ask(form, hint, id, question) {
      if (window.confirm(question.message)) {
        send(form, hint, question);
        return;
      }
      var seen = form.querySelector("input[name=seen]");
      var select = form.querySelector("select[name=stage]");
      if (seen && select) { select.value = seen.value; }
      status.classList.remove("error");
      announce(region.getAttribute("data-not-moved") || "");
      if (id) { refocus(id, hint); }
    }

    function send(form, hint, confirmed) {
      if (busy) { return; }
      busy = true;
      var card = form.closest("[data-participant]");
      var id = card ? card.getAttribute("data-participant") : null;
      var data = new FormData(form);
      if (confirmed) { data.set(confirmed.field, confirmed.value); }
      var question = null;
      region.setAttribute("aria-busy", "true");
      fetch(form.action, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() }
      }).then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      }).then(function (result) {
        var body = result.body;
        if (body.confirm && !confirmed) { question = body.confirm; return; }
        if (body.board) { region.innerHTML = body.board; prepare(); }
        if (body.budget && budget) { budget.innerHTML = body.budget; }
        var message = result.ok ? body.message : (body.error && body.error.message) || "";
        if (body.warning) { message += " " + body.warning; }
        status.classList.toggle("error", !result.ok);
        announce(message);
        if (id) { refocus(id, hint); }
      }).catch(function () {
        form.submit();  // not JSON (an expired session, a proxy page): the plain post
      }).then(function () {
        busy = false;
        region.removeAttribute("aria-busy");
        if (question) { ask(form, hint, id, question); }
      });
    }

    region.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.classList || !form.classList.contains("move-form")) { return; }
      event.preventDefault();
      var hint = event.submitter && event.submitter.getAttribute("data-move");
      if (!hint && form.classList.contains("move-choose")) { hint = "choose"; }
      send(form, hint);
    });

    // Drag and drop: a card dropped on a column posts its stage form with that column.
    function prepare() {
      region.querySelectorAll(".board-card").forEach(function (card) {
        if (card.querySelector("form.move-choose")) { card.setAttribute("draggable", "true"); }
      });
    }
    region.addEventListener("dragstart", function (event) {
      var card = event.target.closest && event.target.closest(".board-card");
      if (!card) { return; }
      event.dataTransfer.setData("text/plain", card.getAttribute("data-participant"));
      event.dataTransfer.effectAllowed = "move";
      card.classList.add("dragging");
    });
    region.addEventListener("dragend", function (event) {
      var card = event.target.closest && event.target.closest(".board-card");
      if (card) { card.classList.remove("dragging"); }
      region.querySelectorAll(".drop-target").forEach(function (c) { c.classList.remove("drop-target"); });
    });
    region.addEventListener("dragover", function (event) {
      var column = event.target.closest && event.target.closest(".board-column");
      if (!column) { return; }
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      region.querySelectorAll(".drop-target").forEach(function (c) {
        if (c !== column) { c.classList.remove("drop-target"); }
      });
      column.classList.add("drop-target");
    });
    region.addEventListener("drop", function (event) {
      var column = event.target.closest && event.target.closest(".board-column");
      if (!column) { return; }
      event.preventDefault();
      column.classList.remove("drop-target");
      var id = event.dataTransfer.getData("text/plain");
      var card = document.getElementById("participant-" + id);
      var form = card && card.querySelector("form.move-choose");
      var stage = column.getAttribute("data-stage");
      if (!form || card.closest(".board-column") === column) { return; }
      form.querySelector("select[name=stage]").value = stage;
      send(form, "card");
    });
    prepare();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
