/* iapgraph viz: the page script. Every text from the data reaches the page through textContent or
   setAttribute on a plain attribute, never innerHTML; links only get http(s) URLs the generator
   built from known registries. State is exposed as window.iapgraph for tests and the curious. */
(function () {
  "use strict";
  var state = {settled: false, timings: {scriptStart: performance.now()}};
  window.iapgraph = state;
  var data = JSON.parse(document.getElementById("iapgraph-data").textContent);
  state.data = data;
  var SVG = "http://www.w3.org/2000/svg";
  var EFFECT_TEXT = {up: "up (increases)", down: "down (decreases / inhibits)", unknown: "not stated"};

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function link(pair) {
    var curie = pair[0], url = pair[1];
    if (url && /^https?:\/\//.test(url)) {
      var a = el("a", null, curie);
      a.setAttribute("href", url);
      a.setAttribute("target", "_blank");
      a.setAttribute("rel", "noopener noreferrer");
      return a;
    }
    return el("span", null, curie);
  }

  function row(dl, name, value) {
    if (value === undefined || value === null || value === "" ||
        (Array.isArray(value) && value.length === 0)) { return; }
    dl.appendChild(el("dt", null, name));
    var dd = el("dd");
    if (value instanceof Element) { dd.appendChild(value); }
    else if (Array.isArray(value)) { dd.textContent = value.join("; "); }
    else { dd.textContent = String(value); }
    dl.appendChild(dd);
  }

  function links(pairs) {
    var span = el("span");
    pairs.forEach(function (pair, i) {
      if (i) { span.appendChild(document.createTextNode(", ")); }
      span.appendChild(link(pair));
    });
    return span;
  }

  function pairsText(pairs) {
    return pairs.map(function (p) { return p[0] + " = " + p[1]; }).join("; ");
  }

  function nodeCard(info) {
    var card = el("div", "card");
    card.appendChild(el("h4", null, info.label));
    card.appendChild(el("div", "sub", info.category + " · " + info.kind));
    var dl = el("dl");
    row(dl, "id", info.id);
    row(dl, "symbol", info.symbol);
    row(dl, "aliases", info.aliases);
    if (info.xrefs.length) { row(dl, "identifiers", links(info.xrefs)); }
    row(dl, "description", info.description);
    row(dl, "domains", info.domains);
    row(dl, "attributes", pairsText(info.attributes));
    card.appendChild(dl);
    return card;
  }

  function edgeHeading(info) {
    return info.subject + (info.negated ? " NOT " : " ") + info.relation + " " + info.object;
  }

  function edgeCard(info) {
    var card = el("div", "card");
    card.appendChild(el("h4", info.negated ? "negated" : null, edgeHeading(info)));
    card.appendChild(el("div", "sub", "statement " + info.id + " · review section " + info.section));
    var dl = el("dl");
    row(dl, "relation", info.relation + (info.negated ? " (negated: the review says it does not)" : ""));
    row(dl, "effect", EFFECT_TEXT[info.effect] || info.effect);
    row(dl, "mechanism", info.mechanism);
    row(dl, "domain", info.domains);
    row(dl, "drawn via", info.via);
    row(dl, "context", info.contexts);
    row(dl, "qualifiers", pairsText(info.qualifiers));
    card.appendChild(dl);
    card.appendChild(el("blockquote", "quote", info.evidence));
    var cite = el("dl");
    row(cite, "cited study", info.citations);
    row(cite, "section", info.section);
    row(cite, "curator note", info.note);
    card.appendChild(cite);
    return card;
  }

  data.nodes.forEach(function (n) { n.title = nodeCard(n.info); });
  data.edges.forEach(function (e) { e.title = edgeCard(e.info); });
  var pathMode = data.chains.length > 0;
  function baseEdgeOpacity(e) { return pathMode && !e.highlighted ? 0.3 : 1; }
  data.edges.forEach(function (e) { e.color.opacity = baseEdgeOpacity(e); });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("network");
  var status = document.getElementById("status");
  state.timings.networkStart = performance.now();
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  state.timings.networkBuilt = performance.now();
  state.network = network;
  state.nodes = nodes;
  state.edges = edges;

  function settle(reason) {
    if (state.settled) { return; }
    state.timings.settled = performance.now();
    state.settledBy = reason;
    network.setOptions({physics: {enabled: false}});
    network.fit({maxZoomLevel: 1.6});  // small views: closer than vis-network's 1.0 cap
    state.settled = true;
    status.classList.add("done");
    document.dispatchEvent(new CustomEvent("iapgraph:settled"));
  }
  network.on("stabilizationProgress", function (p) {
    status.textContent = "Laying out… " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.on("stabilizationIterationsDone", function () {
    state.timings.stabilizationIterationsDone = performance.now();
    settle("stabilizationIterationsDone");
  });
  network.on("stabilized", function (p) {
    if (state.timings.stabilized === undefined) {
      state.timings.stabilized = performance.now();
      state.stabilizedIterations = p && p.iterations;
    }
    settle("stabilized");
  });
  if (data.nodes.length === 0) {
    status.textContent = "Nothing to show: no node matches this view.";
    state.settled = true;
  }

  /* ---------- highlight, select, details ---------- */
  var details = document.getElementById("details-body");
  var hopDepth = document.getElementById("hop-depth");

  function showDetails(card) {
    details.textContent = "";
    details.appendChild(card);
  }

  function dim(brightNodes, brightEdges) {
    nodes.update(nodes.get().map(function (n) {
      return {id: n.id, opacity: !brightNodes || brightNodes[n.id] ? 1 : 0.15};
    }));
    edges.update(edges.get().map(function (e) {
      var on = brightEdges ? brightEdges[e.id] : (!brightNodes || (brightNodes[e.from] && brightNodes[e.to]));
      var color = Object.assign({}, e.color, {opacity: brightNodes || brightEdges ? (on ? 1 : 0.06) : baseEdgeOpacity(e)});
      return {id: e.id, color: color};
    }));
  }

  function around(id, depth) {
    var bright = {};
    bright[id] = true;
    var frontier = [id];
    for (var d = 0; d < depth; d++) {
      var next = [];
      frontier.forEach(function (n) {
        network.getConnectedNodes(n).forEach(function (m) {
          if (!bright[m]) { bright[m] = true; next.push(m); }
        });
      });
      frontier = next;
    }
    return bright;
  }

  function selectNode(id, move) {
    var node = nodes.get(id);
    if (!node) { return; }
    network.selectNodes([id]);
    if (move) { network.focus(id, {scale: Math.max(network.getScale(), 0.9), animation: {duration: 400}}); }
    dim(around(id, Number(hopDepth.value)), null);
    var card = nodeCard(node.info);
    var connected = network.getConnectedEdges(id).map(function (eid) { return edges.get(eid); });
    if (connected.length) {
      card.appendChild(el("h4", null, "Statements here (" + connected.length + ")"));
      var list = el("ul", "statements");
      connected.sort(function (a, b) { return a.id < b.id ? -1 : 1; }).forEach(function (e) {
        var li = el("li", e.info.negated ? "negated" : null, edgeHeading(e.info));
        li.addEventListener("click", function () { selectEdge(e.id); });
        list.appendChild(li);
      });
      card.appendChild(list);
    }
    showDetails(card);
    state.selected = id;
  }

  function selectEdge(id) {
    var edge = edges.get(id);
    if (!edge) { return; }
    network.selectEdges([id]);
    var bright = {};
    bright[edge.from] = true;
    bright[edge.to] = true;
    var brightEdges = {};
    brightEdges[id] = true;
    dim(bright, brightEdges);
    showDetails(edgeCard(edge.info));
    state.selected = id;
  }

  function clearSelection() {
    network.unselectAll();
    dim(null, null);
    details.textContent = "";
    details.appendChild(el("p", "hint", "Click a node or an edge to see its full record."));
    state.selected = null;
  }

  network.on("click", function (p) {
    if (p.nodes.length) { selectNode(p.nodes[0], false); }
    else if (p.edges.length) { selectEdge(p.edges[0]); }
    else { clearSelection(); }
  });
  hopDepth.addEventListener("change", function () {
    if (state.selected && nodes.get(state.selected)) { selectNode(state.selected, false); }
  });

  /* ---------- search ---------- */
  var GREEK = {"α": "a", "β": "b", "γ": "g", "κ": "k", "ɑ": "a"};
  function normalize(name) {
    var text = String(name).normalize("NFKC").trim().toLowerCase();
    text = text.replace(/[αβγκɑ]/g, function (c) { return GREEK[c]; });
    return text.replace(/[\s\-_‐–—/().,']+/g, "");
  }
  var index = {};
  var shown = [];
  data.nodes.forEach(function (n) {
    var names = [n.info.label, n.info.id, n.info.symbol].concat(n.info.aliases,
      n.info.xrefs.map(function (x) { return x[0]; }), n.info.xrefs.map(function (x) { return x[0].split(":")[1]; }));
    names.forEach(function (name) {
      if (!name) { return; }
      var key = normalize(name);
      if (!key) { return; }
      (index[key] = index[key] || []).indexOf(n.id) < 0 && index[key].push(n.id);
    });
    shown.push(n.info.label);
  });
  var datalist = document.getElementById("search-names");
  shown.sort().forEach(function (label) {
    var option = document.createElement("option");
    option.value = label;
    datalist.appendChild(option);
  });
  var message = document.getElementById("search-message");
  function find(query) {
    var key = normalize(query);
    if (!key) { return []; }
    if (index[key]) { return index[key].slice(); }
    var hits = [];
    Object.keys(index).sort().forEach(function (k) {
      if (k.indexOf(key) >= 0) {
        index[k].forEach(function (id) { if (hits.indexOf(id) < 0) { hits.push(id); } });
      }
    });
    return hits;
  }
  state.find = find;
  document.getElementById("search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var query = document.getElementById("search").value;
    var hits = find(query);
    message.textContent = "";
    if (!hits.length) {
      message.textContent = "no node named “" + query + "” in this view";
      return;
    }
    if (hits.length > 1) {
      message.textContent = hits.length + " matches: " + hits.slice(0, 6).map(function (id) {
        return nodes.get(id).info.label; }).join(", ") + (hits.length > 6 ? ", …" : "");
    }
    if (nodes.get(hits[0]).hidden) { message.textContent = "shown, though its kind is hidden in the legend"; }
    selectNode(hits[0], true);
  });

  /* ---------- buttons ---------- */
  document.getElementById("fit").addEventListener("click", function () {
    network.fit({maxZoomLevel: 1.6, animation: {duration: 300}});
  });
  var physics = document.getElementById("physics");
  physics.addEventListener("change", function () { network.setOptions({physics: {enabled: physics.checked}}); });

  /* ---------- legend and filters ---------- */
  var hiddenCats = {}, hiddenGroups = {}, hideNegated = false;
  function applyFilters() {
    nodes.update(nodes.get().map(function (n) { return {id: n.id, hidden: !!hiddenCats[n.cat]}; }));
    edges.update(edges.get().map(function (e) {
      var off = !!hiddenGroups[e.group] || (hideNegated && e.negated) ||
        !!hiddenCats[nodes.get(e.from).cat] || !!hiddenCats[nodes.get(e.to).cat];
      return {id: e.id, hidden: off};
    }));
    var visibleNodes = nodes.get({filter: function (n) { return !n.hidden; }}).length;
    var visibleEdges = edges.get({filter: function (e) { return !e.hidden; }}).length;
    document.getElementById("count-nodes").textContent = visibleNodes === nodes.length ?
      String(nodes.length) : visibleNodes + " of " + nodes.length;
    document.getElementById("count-edges").textContent = visibleEdges === edges.length ?
      String(edges.length) : visibleEdges + " of " + edges.length;
  }
  state.applyFilters = applyFilters;

  function svg(width, height) {
    var s = document.createElementNS(SVG, "svg");
    s.setAttribute("width", width);
    s.setAttribute("height", height);
    s.setAttribute("viewBox", "0 0 " + width + " " + height);
    return s;
  }
  function shapeEl(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }
  function nodeSwatch(shape, fill, stroke) {
    var s = svg(22, 18);
    var style = {fill: fill, stroke: stroke, "stroke-width": 1.3};
    function poly(points) { return shapeEl("polygon", Object.assign({points: points}, style)); }
    var shapes = {
      dot: function () { return shapeEl("circle", Object.assign({cx: 11, cy: 9, r: 7}, style)); },
      star: function () { return poly("11,1 13.3,6.5 19,6.8 14.6,10.5 16,16.5 11,13.3 6,16.5 7.4,10.5 3,6.8 8.7,6.5"); },
      diamond: function () { return poly("11,1 19,9 11,17 3,9"); },
      hexagon: function () { return poly("6,2 16,2 20,9 16,16 6,16 2,9"); },
      triangle: function () { return poly("11,2 19,16 3,16"); },
      triangleDown: function () { return poly("3,2 19,2 11,16"); },
      square: function () { return shapeEl("rect", Object.assign({x: 4, y: 2, width: 14, height: 14}, style)); },
      box: function () { return shapeEl("rect", Object.assign({x: 1, y: 3, width: 20, height: 12, rx: 3}, style)); },
      ellipse: function () { return shapeEl("ellipse", Object.assign({cx: 11, cy: 9, rx: 10, ry: 6}, style)); },
      database: function () { return shapeEl("path", Object.assign({d: "M3,4 a8,2.5 0 0,0 16,0 v10 a8,2.5 0 0,1 -16,0 z M3,4 a8,2.5 0 0,1 16,0"}, style)); }
    };
    s.appendChild((shapes[shape] || shapes.dot)());
    return s;
  }
  function edgeSwatch(color, dashes, head) {
    var s = svg(40, 14);
    var line = shapeEl("line", {x1: 2, y1: 7, x2: head ? 30 : 38, y2: 7, stroke: color, "stroke-width": 2});
    if (dashes) { line.setAttribute("stroke-dasharray", dashes.join(" ")); }
    s.appendChild(line);
    if (head === "arrow") { s.appendChild(shapeEl("polygon", {points: "29,2 38,7 29,12", fill: color})); }
    if (head === "bar") { s.appendChild(shapeEl("line", {x1: 33, y1: 1, x2: 33, y2: 13, stroke: color, "stroke-width": 3})); }
    if (head === "circle") { s.appendChild(shapeEl("circle", {cx: 34, cy: 7, r: 4, fill: color})); }
    return s;
  }
  function legendItem(parent, swatch, label, count, onToggle, tip) {
    var item = el("div", "legend-item" + (onToggle ? "" : " static"));
    item.appendChild(swatch);
    item.appendChild(el("span", null, label));
    if (count !== null) { item.appendChild(el("span", "count", count)); }
    if (tip) { item.setAttribute("title", tip); }
    if (onToggle) {
      item.setAttribute("role", "button");
      item.addEventListener("click", function () {
        item.classList.toggle("off", onToggle());
        applyFilters();
      });
    }
    parent.appendChild(item);
    return item;
  }
  var legendNodes = document.getElementById("legend-nodes");
  data.categories.forEach(function (c) {
    legendItem(legendNodes, nodeSwatch(c.shape, c.color, c.border), c.label, c.count, function () {
      hiddenCats[c.key] = !hiddenCats[c.key];
      return hiddenCats[c.key];
    }).dataset.cat = c.key;
  });
  document.getElementById("legend-size").textContent = "Node size: " + data.sizeBy + ".";
  var legendEdges = document.getElementById("legend-edges");
  data.relationGroups.forEach(function (g) {
    legendItem(legendEdges, edgeSwatch(g.color, null, null), g.label, g.count, function () {
      hiddenGroups[g.key] = !hiddenGroups[g.key];
      return hiddenGroups[g.key];
    }, g.relations.join(", ")).dataset.group = g.key;
  });
  if (data.negatedCount) {
    legendItem(legendEdges, edgeSwatch("#9e9e9e", [2, 3], null), "negated: the review says it does NOT",
      data.negatedCount, function () { hideNegated = !hideNegated; return hideNegated; }).dataset.group = "negated";
  }
  var legendArrows = document.getElementById("legend-arrows");
  data.effects.forEach(function (e) {
    legendItem(legendArrows, edgeSwatch("#424242", null, e.arrow), e.label, null, null);
  });
  legendItem(legendArrows, edgeSwatch("#1565c0", [6, 4], null), "dashed: binding", null, null);
  if (pathMode) {
    legendItem(legendArrows, (function () {
      var s = svg(40, 14);
      s.appendChild(shapeEl("line", {x1: 2, y1: 7, x2: 38, y2: 7, stroke: "#424242", "stroke-width": 5}));
      return s;
    })(), "thick: on a path", null, null);
  }

  /* ---------- paths ---------- */
  if (pathMode) {
    document.getElementById("paths").hidden = false;
    var list = document.getElementById("path-list");
    data.chains.forEach(function (chain) {
      var li = el("li", null, chain.text);
      li.addEventListener("click", function () {
        var active = li.classList.contains("active");
        Array.prototype.forEach.call(list.children, function (c) { c.classList.remove("active"); });
        if (active) { clearSelection(); return; }
        li.classList.add("active");
        var bright = {}, brightEdges = {};
        chain.statements.forEach(function (sid) {
          var e = edges.get(sid);
          if (e) { brightEdges[sid] = true; bright[e.from] = true; bright[e.to] = true; }
        });
        dim(bright, brightEdges);
      });
      list.appendChild(li);
    });
  }
  var notes = document.getElementById("note-list");
  data.notes.forEach(function (n) { notes.appendChild(el("li", "legend-note", n)); });

  document.getElementById("reset").addEventListener("click", function () {
    hiddenCats = {}; hiddenGroups = {}; hideNegated = false;
    Array.prototype.forEach.call(document.querySelectorAll(".legend-item.off"), function (i) { i.classList.remove("off"); });
    applyFilters();
    clearSelection();
    message.textContent = "";
    network.fit({maxZoomLevel: 1.6, animation: {duration: 300}});
  });
  state.selectNode = selectNode;
  state.selectEdge = selectEdge;
  state.clearSelection = clearSelection;
})();
