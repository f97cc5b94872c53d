// The influence network drawn with Cytoscape.js from /network/graph.json (CSP: no inline
// script; the page gives the data address in data attributes). When the scoring status
// (#scoring, polled by htmx) shows another finished run, the graph is fetched and drawn
// again: the new scores' sizes and communities, without reloading the page.
(function () {
  "use strict";
  var PALETTE = ["#4f46e5", "#0ea5e9", "#10b981", "#f59e0b", "#ef4444", "#8b5cf6", "#14b8a6",
                 "#f97316", "#84cc16", "#ec4899", "#64748b", "#a16207"];
  var KIND_COLOURS = {reposts: "#4f46e5", mentions: "#0ea5e9", follows: "#94a3b8",
                      collaborated: "#10b981", same_agency: "#f59e0b", audience_overlap: "#a855f7"};
  function colour(node) {
    var c = node.data("community");
    return c === null || c === undefined ? "#64748b" : PALETTE[c % PALETTE.length];
  }
  var shown = null;  // the Cytoscape instance on the page
  function draw(box, data) {
    var status = document.getElementById("network-status");
    if (shown) { shown.destroy(); shown = null; }
    status.textContent = "";
    box.setAttribute("data-nodes", String(data.nodes.length));
    box.setAttribute("data-edges", String(data.edges.length));
    box.setAttribute("data-scored", String(data.nodes.filter(function (n) {
      return n.data.score !== null && n.data.score !== undefined; }).length));
    if (!data.edges.length && data.nodes.length <= 1) {
      status.textContent = box.getAttribute("data-empty");
    }
    var cy = shown = window.cytoscape({
      container: box,
      elements: {nodes: data.nodes, edges: data.edges},
      wheelSensitivity: 0.3,
      style: [
        {selector: "node", style: {
          "background-color": colour, "width": "data(size)", "height": "data(size)",
          "label": "data(label)", "font-size": 9, "color": "#1f2430",
          "text-valign": "bottom", "text-margin-y": 3, "min-zoomed-font-size": 7}},
        {selector: "node[?center]", style: {"border-width": 4, "border-color": "#111827"}},
        {selector: "edge", style: {
          "width": "mapData(weight, 0, 10, 1, 5)", "line-color": function (e) {
            return KIND_COLOURS[e.data("kind")] || "#94a3b8"; },
          "target-arrow-color": function (e) { return KIND_COLOURS[e.data("kind")] || "#94a3b8"; },
          "target-arrow-shape": "triangle", "curve-style": "bezier", "opacity": 0.6}}
      ],
      layout: {name: data.nodes.length > 150 ? "concentric" : "cose", animate: false,
               concentric: function (n) { return n.data("size"); }, levelWidth: function () { return 8; }}
    });
    var profile = box.getAttribute("data-profile");
    cy.on("tap", "node", function (event) {
      window.location.href = profile.replace(/\/0(?=$|[/?#])/, "/" + event.target.id());
    });
    box.setAttribute("data-ready", "1");
  }
  function load(box) {
    box.removeAttribute("data-ready");
    fetch(box.getAttribute("data-source"), {headers: {"Accept": "application/json"},
                                            cache: "no-store"})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) { draw(box, data); })
      .catch(function () { document.getElementById("network-status").textContent = "⚠"; });
  }
  function scoredRun() {
    var scoring = document.getElementById("scoring");
    return scoring ? scoring.getAttribute("data-run") || "" : "";
  }
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("network-graph");
    if (!box || !window.cytoscape) { return; }
    box.setAttribute("data-run", scoredRun());
    load(box);
    document.body.addEventListener("htmx:afterSettle", function () {
      var run = scoredRun();
      if (run !== box.getAttribute("data-run")) {
        box.setAttribute("data-run", run);
        load(box);
      }
    });
  });
})();
