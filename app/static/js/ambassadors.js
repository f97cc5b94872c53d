// "Propose ambassadors": the cumulative reach after each pick, drawn with Chart.js from the
// page's <script type="application/json" id="ambassador-chart-data"> block (CSP: no inline
// script runs). The table under the chart holds the same figures.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("ambassador-chart-data");
    var canvas = document.querySelector("canvas[data-ambassador-chart]");
    if (!source || !canvas || !window.Chart) { return; }
    var data;
    try { data = JSON.parse(source.textContent); } catch (e) { return; }
    if (!data.labels || !data.labels.length) { return; }
    var count = new Intl.NumberFormat(document.documentElement.lang || "fr",
                                      { maximumFractionDigits: 0 });
    new window.Chart(canvas, {
      type: "line",
      data: { labels: data.labels, datasets: [{ label: canvas.dataset.label || "",
        data: data.reach, borderColor: "#4f46e5", backgroundColor: "rgba(79,70,229,.15)",
        fill: true, tension: 0.2, pointRadius: 4 }] },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { display: false },
          tooltip: { callbacks: { label: function (ctx) { return count.format(ctx.parsed.y); } } } },
        scales: { y: { beginAtZero: true,
                       ticks: { callback: function (v) { return count.format(v); } } } }
      }
    });
    canvas.setAttribute("data-ready", "1");
  });
})();
