// Relais front-end glue. No inline scripts anywhere (CSP 'self'): behaviour hangs on
// data attributes that this file reads.
(function () {
  "use strict";
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  // Every htmx request carries the CSRF token in a header.
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRFToken"] = csrfToken();
  });
  // <form data-confirm="…">: ask before destructive actions.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
  // <input type=checkbox data-select-all="name">: toggles every checkbox of that name.
  document.addEventListener("change", function (event) {
    var name = event.target.getAttribute && event.target.getAttribute("data-select-all");
    if (!name) { return; }
    document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
      box.checked = event.target.checked;
    });
  });
  // <select data-autosubmit>: submit its form on change (filters).
  document.addEventListener("change", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-autosubmit")) {
      event.target.form.requestSubmit();
    }
  });
  // The shell's menus. <details data-menu>: one open at a time, closed by Escape (focus back
  // on its summary) and by a click outside. <button data-menu-button aria-controls>: on
  // narrower screens (app.css) it shows the nav (the link beside it, #main-nav as :target, serves without JS).
  function openMenus() { return document.querySelectorAll("details[data-menu][open]"); }
  document.addEventListener("toggle", function (event) {
    var menu = event.target;
    if (!menu.matches || !menu.matches("details[data-menu]") || !menu.open) { return; }
    openMenus().forEach(function (other) {
      if (other !== menu && !other.contains(menu)) { other.open = false; }
    });
  }, true);
  function navButton() { return document.querySelector("[data-menu-button]"); }
  function setNav(open) {
    var button = navButton();
    if (!button) { return; }
    button.setAttribute("aria-expanded", open ? "true" : "false");
    var nav = document.getElementById(button.getAttribute("aria-controls"));
    if (nav) { nav.classList.toggle("open", open); }
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-menu-button]");
    if (button) {
      setNav(button.getAttribute("aria-expanded") !== "true");
      return;
    }
    openMenus().forEach(function (menu) {
      if (!menu.contains(event.target)) { menu.open = false; }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = openMenus();
    if (open.length) {
      var last = open[open.length - 1];
      last.open = false;
      last.querySelector("summary").focus();
      return;
    }
    var button = navButton();
    if (button && button.getAttribute("aria-expanded") === "true") {
      setNav(false);
      button.focus();
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var button = navButton();
    var fallback = document.querySelector("[data-menu-fallback]");
    if (button && fallback) {
      button.hidden = false;
      fallback.hidden = true;
    }
  });
  // <canvas data-chart="bar|doughnut|line" data-labels='[..]' data-values='[..]'>
  var palette = ["#4f46e5", "#0ea5e9", "#10b981", "#f59e0b", "#ef4444", "#8b5cf6", "#14b8a6", "#f97316", "#64748b", "#ec4899"];
  function drawCharts(root) {
    if (!window.Chart) { return; }
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.drawn) { return; }
      canvas.dataset.drawn = "1";
      var kind = canvas.dataset.chart;
      var labels = JSON.parse(canvas.dataset.labels || "[]");
      var values = JSON.parse(canvas.dataset.values || "[]");
      var percent = canvas.dataset.percent === "1";
      var dataset = { label: canvas.dataset.label || "", data: values,
        backgroundColor: kind === "line" ? "rgba(79,70,229,.15)" : palette,
        borderColor: kind === "line" ? "#4f46e5" : palette, fill: kind === "line", tension: 0.25 };
      new window.Chart(canvas, {
        type: kind, data: { labels: labels, datasets: [dataset] },
        options: { responsive: true, maintainAspectRatio: false, animation: false,
          plugins: { legend: { display: kind === "doughnut" },
            tooltip: { callbacks: { label: function (ctx) {
              var v = ctx.parsed && typeof ctx.parsed === "object" ? (ctx.parsed.y !== undefined ? ctx.parsed.y : ctx.parsed) : ctx.parsed;
              return percent ? (Math.round(v * 1000) / 10) + " %" : v.toLocaleString(document.documentElement.lang);
            } } } },
          scales: kind === "doughnut" ? {} : { y: { beginAtZero: true, ticks: { callback: function (v) {
            return percent ? Math.round(v * 100) + " %" : Number(v).toLocaleString(document.documentElement.lang); } } } } }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  // Sections marked data-phone-folded (the calendar's filters) start folded on a phone.
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.matchMedia("(max-width: 600px)").matches) return;
    document.querySelectorAll("details[data-phone-folded][open]").forEach(function (details) {
      details.open = false;
    });
  });
  document.addEventListener("htmx:afterSwap", function (event) { drawCharts(event.target); });
})();
