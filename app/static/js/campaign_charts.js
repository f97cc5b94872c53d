// Campaign report charts (Chart.js). The figures come from the page's
// <script type="application/json" id="campaign-chart-data"> block (CSP: no inline
// script runs); each <canvas data-campaign-chart="reach|platforms|top|budget"> names its
// series. Every chart also has a text summary or table in the page for screen readers.
(function () {
  "use strict";
  var COLOURS = ["#4f46e5", "#0ea5e9", "#10b981", "#f59e0b", "#ef4444", "#8b5cf6",
                 "#14b8a6", "#f97316", "#64748b", "#ec4899"];

  function formatters(data) {
    var lang = document.documentElement.lang || "fr";
    var count = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
    var money;
    try {
      money = new Intl.NumberFormat(lang, { style: "currency", currency: data.currency || "EUR",
                                            maximumFractionDigits: 0 });
    } catch (e) {
      money = count;
    }
    return {
      count: function (v) { return v === null || v === undefined ? "—" : count.format(v); },
      money: function (v) { return v === null || v === undefined ? "—" : money.format(v); }
    };
  }

  function options(format, horizontal) {
    // Amounts on a narrow horizontal axis skip a tick rather than touch each other.
    var valueAxis = { beginAtZero: true, ticks: { autoSkipPadding: 12, maxRotation: 0,
                                                   callback: function (v) { return format(v); } } };
    var scales = horizontal ? { x: valueAxis } : { y: valueAxis };
    return {
      responsive: true, maintainAspectRatio: false, animation: false,
      indexAxis: horizontal ? "y" : "x",
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: function (ctx) {
          return format(horizontal ? ctx.parsed.x : ctx.parsed.y);
        } } }
      },
      scales: scales
    };
  }

  function draw(canvas, data, fmt) {
    var name = canvas.dataset.campaignChart;
    var series = data[name];
    if (!series || !series.labels || !series.labels.length) { return; }
    var label = canvas.dataset.label || "";
    var config;
    if (name === "reach") {
      config = { type: "line",
        data: { labels: series.labels, datasets: [{ label: label, data: series.values,
          borderColor: COLOURS[0], backgroundColor: "rgba(79,70,229,.15)", fill: true,
          tension: 0.2, pointRadius: series.values.length > 60 ? 0 : 3 }] },
        options: options(fmt.count, false) };
    } else {
      var isMoney = name === "budget" || (name === "top" && series.measure === "emv");
      config = { type: "bar",
        data: { labels: series.labels, datasets: [{ label: label, data: series.values,
          backgroundColor: name === "budget" ? [COLOURS[8], COLOURS[0], COLOURS[3], COLOURS[4]] : COLOURS }] },
        options: options(isMoney ? fmt.money : fmt.count, name === "top" || name === "budget") };
    }
    new window.Chart(canvas, config);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("campaign-chart-data");
    if (!source || !window.Chart) { return; }
    var data;
    try { data = JSON.parse(source.textContent); } catch (e) { return; }
    var fmt = formatters(data);
    document.querySelectorAll("canvas[data-campaign-chart]").forEach(function (canvas) {
      draw(canvas, data, fmt);
    });
  });
})();
