// The influence network drawn with Cytoscape.js from /network/graph.json (CSP: no inline
// script; the page gives addresses and messages in data attributes, network.css the
// colours). fCoSE lays it out, communities kept apart by longer links between them. The
// legend highlights a community and hides or shows a kind of link; the search focuses a
// person and their neighbours; the table under the graph is its text alternative. When
// the scoring status (#scoring, polled by htmx) shows another finished run, the graph is
// fetched and drawn again: the new scores' sizes and communities, without reloading.
(function () {
  "use strict";
  var PALETTE_SIZE = 12;  // --community-0 … --community-11 in network.css
  var MATCHES_LISTED = 8;
  var TABLE_ROWS = 25;
  var page = {cy: null, box: null, data: null, community: null};

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  function byId(id) { return document.getElementById(id); }
  function formatted(n) {
    return new Intl.NumberFormat(document.documentElement.lang || undefined).format(n);
  }
  function cssColour(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }
  function paletteIndex(community) {  // community 1 (the largest) takes the first colour
    return ((community - 1) % PALETTE_SIZE + PALETTE_SIZE) % PALETTE_SIZE;
  }
  function hasCommunity(value) { return value !== null && value !== undefined; }
  function profileUrl(id) {
    return page.box.getAttribute("data-profile").replace(/\/0(?=$|[/?#])/, "/" + id);
  }
  function kindBoxes() {
    return Array.prototype.slice.call(
      document.querySelectorAll('input[name="kind"][form="network-filters"]'));
  }

  function colours() {
    var palette = [], kinds = {};
    for (var i = 0; i < PALETTE_SIZE; i++) { palette.push(cssColour("--community-" + i)); }
    kindBoxes().forEach(function (box) { kinds[box.value] = cssColour("--kind-" + box.value); });
    return {palette: palette, none: cssColour("--community-none"), kinds: kinds};
  }

  function style(c) {
    function nodeColour(n) {
      var k = n.data("community");
      return hasCommunity(k) ? c.palette[paletteIndex(k)] : c.none;
    }
    function edgeColour(e) { return c.kinds[e.data("kind")] || c.none; }
    return [
      {selector: "node", style: {
        "background-color": nodeColour, "width": "data(size)", "height": "data(size)",
        "label": "", "font-size": 11, "color": "#111827", "text-valign": "bottom",
        "text-margin-y": 3, "text-outline-color": "#ffffff", "text-outline-width": 2,
        "text-wrap": "ellipsis", "text-max-width": 160}},
      {selector: "node[?labelled], node.hover, node:selected, node.match, node.near",
       style: {"label": "data(label)", "z-index": 10}},
      {selector: "node[?labelled]", style: {"font-weight": "bold"}},
      {selector: "node[?center], node.match",
       style: {"border-width": 3, "border-color": "#111827"}},
      {selector: "node:selected", style: {"border-width": 5, "border-color": "#111827",
                                          "font-size": 13}},
      {selector: "edge", style: {
        "width": "mapData(weight, 0, 10, 1, 5)", "line-color": edgeColour,
        "target-arrow-color": edgeColour, "target-arrow-shape": "triangle",
        "curve-style": "bezier", "opacity": 0.55}},
      {selector: "edge.off", style: {"display": "none"}},
      {selector: "node.faded", style: {"opacity": 0.15, "text-opacity": 0}},
      {selector: "edge.faded", style: {"opacity": 0.06}}
    ];
  }

  function sameCommunity(edge) {
    var a = edge.source().data("community");
    return hasCommunity(a) && a === edge.target().data("community");
  }

  // Measured on a 200-person, 1 500-link graph in headless Chromium on a loaded 2-core
  // machine: 1.6 to 3.4 s with fCoSE's 2 500 iterations, 0.7 to 1.3 s with 1 000 and the
  // communities as far apart; the browser test bounds it.
  function layOut(cy) {
    var started = performance.now();
    var fcose = typeof window.cytoscapeFcose === "function";
    cy.layout(fcose ? {
      name: "fcose", quality: "default", randomize: true, animate: false, fit: true,
      padding: 30, nodeDimensionsIncludeLabels: false, packComponents: false, tile: true,
      nodeRepulsion: function () { return 6500; },
      idealEdgeLength: function (e) { return sameCommunity(e) ? 60 : 200; },
      edgeElasticity: function (e) { return sameCommunity(e) ? 0.45 : 0.05; },
      gravity: 0.3, numIter: 1000
    } : {name: "cose", animate: false}).run();
    return performance.now() - started;
  }

  // Names keep a readable size on screen (about 12 px) however far the graph is zoomed out
  // to fit; zoomed in, they grow with it. Once per frame at most.
  var labelFrame = null;
  function readableLabels(cy) {
    if (labelFrame !== null) { return; }
    labelFrame = window.requestAnimationFrame(function () {
      labelFrame = null;
      var size = Math.round(12 / Math.min(cy.zoom(), 1));
      cy.style().selector("node").style({"font-size": size, "text-max-width": size * 14,
                                        "text-outline-width": Math.max(2, size / 6)}).update();
    });
  }

  function draw(box, data) {
    if (page.cy) { page.cy.destroy(); page.cy = null; }
    page.data = data;
    page.community = null;
    ["data-selected", "data-community", "data-neighbours"].forEach(function (name) {
      box.removeAttribute(name);
    });
    box.setAttribute("data-nodes", String(data.nodes.length));
    box.setAttribute("data-edges", String(data.edges.length));
    box.setAttribute("data-scored", String(data.nodes.filter(function (n) {
      return n.data.score !== null && n.data.score !== undefined; }).length));
    byId("network-status").textContent = !data.edges.length && data.nodes.length <= 1
      ? box.getAttribute("data-empty") : "";
    var cy = page.cy = window.cytoscape({
      container: box, elements: {nodes: data.nodes, edges: data.edges},
      wheelSensitivity: 0.3, maxZoom: 2.5, style: style(colours()), layout: {name: "preset"},
      hideEdgesOnViewport: data.edges.length > 500  // panning a big graph stays smooth
    });
    box.setAttribute("data-layout-ms", String(Math.round(layOut(cy))));
    readableLabels(cy);
    cy.on("zoom", function () { readableLabels(cy); });
    cy.on("tap", "node", function (event) { focusPerson(event.target.id()); });
    cy.on("tap", function (event) { if (event.target === cy) { clearFocus(); } });
    cy.on("dbltap", "node", function (event) {
      window.location.href = profileUrl(event.target.id());
    });
    cy.on("mouseover", "node", function (event) { event.target.addClass("hover"); });
    cy.on("mouseout", "node", function (event) { event.target.removeClass("hover"); });
    communityLegend(data);
    applyKinds();
    peopleTable(data);
    byId("network-selection").hidden = true;
    showMatches(byId("network-query").value);
    byId("network-search").hidden = false;
    byId("network-png").hidden = false;
    box.setAttribute("data-ready", "1");
  }

  // The legend: communities (a button highlights one) and the kinds' counts.
  function communityLegend(data) {
    var list = byId("network-communities");
    list.textContent = "";
    data.communities.forEach(function (c) {
      var button = el("button", "button");
      button.type = "button";
      button.setAttribute("aria-pressed", "false");
      button.setAttribute("data-community", String(c.number));
      var swatch = el("span", "swatch c" + paletteIndex(c.number));
      swatch.setAttribute("aria-hidden", "true");
      button.append(swatch, el("span", "name", c.label),
                    el("span", "size muted small", c.size_text));
      button.addEventListener("click", function () {
        highlightCommunity(page.community === c.number ? null : c.number);
      });
      var item = el("li");
      item.append(button);
      list.append(item);
    });
    byId("network-no-communities").hidden = data.communities.length > 0;
  }

  function highlightCommunity(number) {
    var cy = page.cy;
    unselect();
    page.community = number;
    var members = number === null ? cy.nodes() : cy.nodes().filter(function (n) {
      return n.data("community") === number; });
    cy.batch(function () {
      cy.elements().removeClass("faded");
      if (number !== null) {
        cy.elements().not(members.union(members.edgesWith(members))).addClass("faded");
      }
    });
    refit();
    document.querySelectorAll("#network-communities button").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-community") ===
                                                 String(number)));
    });
    if (number === null) { page.box.removeAttribute("data-community"); }
    else { page.box.setAttribute("data-community", String(number)); }
  }

  function applyKinds() {
    var cy = page.cy, counts = page.data.kind_counts || {};
    var off = kindBoxes().filter(function (box) { return !box.checked; })
      .map(function (box) { return box.value; });
    cy.batch(function () {
      cy.edges().forEach(function (edge) {
        edge.toggleClass("off", off.indexOf(edge.data("kind")) >= 0);
      });
    });
    page.box.setAttribute("data-visible-edges", String(cy.edges().not(".off").length));
    document.querySelectorAll("[data-kind-count]").forEach(function (span) {
      var kind = span.getAttribute("data-kind-count");
      span.textContent = kind in counts ? formatted(counts[kind]) : "";
    });
    var selected = page.box.getAttribute("data-selected");
    if (selected) { focusPerson(selected); }
  }

  // A kind that was not fetched is asked of the server (the form's own submit); the
  // others are hidden or shown at once.
  function kindChanged(event) {
    var box = event.target, form = byId("network-filters");
    if (!page.data) { return; }
    if (box.checked && page.data.kinds.indexOf(box.value) < 0) {
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      return;
    }
    applyKinds();
  }

  // A person and their neighbours through the links on show: the others fade.
  function focusPerson(id) {
    var cy = page.cy, node = cy.getElementById(String(id));
    if (node.empty()) { return; }
    page.community = null;
    page.box.removeAttribute("data-community");
    document.querySelectorAll("#network-communities button").forEach(function (button) {
      button.setAttribute("aria-pressed", "false");
    });
    var edges = node.connectedEdges().not(".off");
    var hood = edges.connectedNodes().union(node);
    cy.batch(function () {
      cy.elements().removeClass("faded near");
      cy.elements().not(hood.union(edges)).addClass("faded");
      hood.not(node).addClass("near");
      cy.nodes().unselect();
      node.select();
    });
    var count = hood.length - 1;
    page.box.setAttribute("data-selected", node.id());
    refit();
    page.box.setAttribute("data-neighbours", String(count));
    byId("network-selection-text").textContent = page.box.getAttribute("data-linked")
      .replace("{name}", node.data("label")).replace("{count}", formatted(count));
    byId("network-selection-profile").href = profileUrl(node.id());
    byId("network-selection").hidden = false;
  }

  // The part on show fills the canvas: the selected person and their neighbours, the
  // highlighted community, or everyone; again when the canvas changes size (a phone turned).
  function refit() {
    var cy = page.cy;
    if (!cy) { return; }
    var selected = page.box.getAttribute("data-selected");
    if (selected) {
      var node = cy.getElementById(selected), edges = node.connectedEdges().not(".off");
      cy.fit(edges.connectedNodes().union(node), 50);
    } else if (page.community !== null) {
      cy.fit(cy.nodes().filter(function (n) {
        return n.data("community") === page.community; }), 30);
    } else {
      cy.fit(undefined, 30);
    }
  }

  function unselect() {
    page.cy.nodes().unselect().removeClass("near");
    ["data-selected", "data-neighbours"].forEach(function (name) {
      page.box.removeAttribute(name);
    });
    byId("network-selection").hidden = true;
  }

  function clearFocus() {
    unselect();
    highlightCommunity(null);
  }

  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/^@/, "");
  }

  function matches(query) {
    var wanted = fold(query.trim());
    if (!wanted) { return []; }
    function rank(node) {
      var names = [node.data("label")].concat(node.data("handles") || []).map(fold);
      if (names.some(function (n) { return n.indexOf(wanted) === 0; })) { return 2; }
      return names.some(function (n) { return n.indexOf(wanted) >= 0; }) ? 1 : 0;
    }
    var found = page.cy.nodes().map(function (n) { return {node: n, rank: rank(n)}; })
      .filter(function (m) { return m.rank > 0; });
    found.sort(function (a, b) {
      return b.rank - a.rank || (b.node.data("score") || 0) - (a.node.data("score") || 0) ||
        b.node.data("followers") - a.node.data("followers");
    });
    return found.map(function (m) { return m.node; });
  }

  function showMatches(query) {
    var list = byId("network-matches"), status = byId("network-search-status");
    list.textContent = "";
    page.cy.nodes().removeClass("match");
    if (!query.trim()) { status.textContent = ""; return []; }
    var found = matches(query);
    status.textContent = found.length
      ? page.box.getAttribute("data-matches").replace("{count}", formatted(found.length))
      : page.box.getAttribute("data-no-match");
    found.forEach(function (node) { node.addClass("match"); });
    found.slice(0, MATCHES_LISTED).forEach(function (node) {
      var button = el("button", "button", node.data("label"));
      button.type = "button";
      button.setAttribute("data-node", node.id());
      var handles = node.data("handles") || [];
      if (handles.length) { button.append(" ", el("span", "muted small", handles.join(", "))); }
      button.addEventListener("click", function () { focusPerson(node.id()); });
      var item = el("li");
      item.append(button);
      list.append(item);
    });
    return found;
  }

  // The text alternative: the best-scored people, their community, score and links.
  function peopleTable(data) {
    var body = byId("network-people"), locate = body.getAttribute("data-locate");
    body.textContent = "";
    var rows = data.nodes.map(function (n) { return n.data; });
    rows.sort(function (a, b) {
      return (b.score || 0) - (a.score || 0) || b.followers - a.followers;
    });
    rows.slice(0, TABLE_ROWS).forEach(function (d) {
      var tr = el("tr"), name = el("td"), link = el("a", "", d.label), community = el("td");
      link.href = profileUrl(d.id);
      name.append(link);
      if (hasCommunity(d.community)) {
        var swatch = el("span", "swatch c" + paletteIndex(d.community));
        swatch.setAttribute("aria-hidden", "true");
        community.append(swatch, d.community_label);
      } else { community.textContent = "—"; }
      var action = el("td"), button = el("button", "button", locate);
      button.type = "button";
      button.addEventListener("click", function () {
        focusPerson(d.id);
        page.box.scrollIntoView({block: "nearest"});
      });
      action.append(button);
      tr.append(name, community, el("td", "num", d.score_text || "—"),
                el("td", "num", formatted(d.degree)), action);
      body.append(tr);
    });
  }

  function downloadPng() {
    if (!page.cy) { return; }
    var link = el("a");
    link.href = page.cy.png({output: "base64uri", full: true, scale: 2, bg: "#ffffff",
                             maxWidth: 4000, maxHeight: 4000});
    link.download = page.box.getAttribute("data-png-name");
    document.body.append(link);
    link.click();
    link.remove();
  }

  function load(box) {
    box.removeAttribute("data-ready");
    fetch(box.getAttribute("data-source"), {headers: {"Accept": "application/json"},
                                            cache: "no-store"})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (data) { draw(box, data); })
      .catch(function () { byId("network-status").textContent = "⚠"; });
  }
  function scoredRun() {
    var scoring = byId("scoring");
    return scoring ? scoring.getAttribute("data-run") || "" : "";
  }

  function wire() {
    byId("network-search").addEventListener("submit", function (event) {
      event.preventDefault();  // Enter: the first match
      var found = page.cy ? showMatches(byId("network-query").value) : [];
      if (found.length) { focusPerson(found[0].id()); }
    });
    byId("network-query").addEventListener("input", function (event) {
      if (page.cy) { showMatches(event.target.value); }
    });
    byId("network-query").addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !page.cy) { return; }
      event.target.value = "";
      showMatches("");
      clearFocus();
    });
    byId("network-selection-clear").addEventListener("click", clearFocus);
    byId("network-png").addEventListener("click", downloadPng);
    kindBoxes().forEach(function (box) { box.addEventListener("change", kindChanged); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var box = page.box = byId("network-graph");
    if (!box || !window.cytoscape) { return; }
    if (window.cytoscapeFcose) { window.cytoscape.use(window.cytoscapeFcose); }
    wire();
    var resized = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(resized);
      resized = window.setTimeout(refit, 150);
    });
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
