/* iapgraph viz: the page script. Every text from the data reaches the page through textContent or
   setAttribute on a plain attribute, never innerHTML; links only get http(s) URLs the generator
   built from known registries. The layout comes with the data (physics is off), so the page is
   drawn, fitted and usable at first paint. State is exposed as window.iapgraph for tests. */
(function () {
  "use strict";
  var state = {settled: false, timings: {scriptStart: performance.now()}};
  window.iapgraph = state;
  var data = JSON.parse(document.getElementById("iapgraph-data").textContent);
  state.data = data;
  state.timings.dataParsed = performance.now();
  var SVG = "http://www.w3.org/2000/svg";
  var EFFECT_TEXT = {up: "up (increases)", down: "down (decreases / inhibits)", unknown: "not stated"};
  var EFFECT_MARK = {up: "↑", down: "⊣", unknown: "·"};
  var FIT = {maxZoomLevel: 1.6};  // small views: closer than vis-network's 1.0 cap

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
    return (pairs || []).map(function (p) { return p[0] + " = " + p[1]; }).join("; ");
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

  function statementHeading(info) {
    return info.subject + (info.negated ? " NOT " : " ") + info.relation + " " + info.object;
  }

  function marks(info) {
    var out = [];
    if (info.negated) { out.push("negated"); }
    if (info.hedged) { out.push("hedged"); }
    return out;
  }

  /* one statement: the claim, its quote and cited study */
  function statementCard(info) {
    var card = el("div", "card statement");
    var head = el("h4", info.negated ? "negated" : null, statementHeading(info));
    card.appendChild(head);
    var sub = "statement " + info.id + " · review section " + (info.section || "?");
    if (info.hedged) { sub += " · hedged in the review"; }
    card.appendChild(el("div", "sub", sub));
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

  function statementsOf(edge) {
    return edge.statements.map(function (sid) { return data.statements[sid]; });
  }

  function edgeTitle(edge) {
    var first = data.statements[edge.statements[0]];
    return statementHeading(first);
  }

  /* an edge (one assertion): all its statements with their quotes */
  function edgeCard(edge, all) {
    var card = el("div", "card");
    var infos = statementsOf(edge);
    card.appendChild(el("h4", edge.negated ? "negated" : null, edgeTitle(edge)));
    var n = infos.length;
    var hedged = infos.filter(function (i) { return i.hedged; }).length;
    card.appendChild(el("div", "sub", n + (n === 1 ? " statement" : " statements") +
      (hedged ? " (" + hedged + " hedged)" : "") + " · effect " + (EFFECT_TEXT[edge.effect] || edge.effect || "none")));
    var shown = all ? infos : infos.slice(0, 1);
    shown.forEach(function (info) { card.appendChild(statementCard(info)); });
    if (!all && n > 1) { card.appendChild(el("p", "hint", "… and " + (n - 1) + " more: click the edge to read them all.")); }
    return card;
  }

  /* ---------- vis objects from the page data ---------- */
  var cats = {};
  data.categories.forEach(function (c) { cats[c.key] = c; });
  var groupColor = {};
  data.relationGroups.forEach(function (g) { groupColor[g.key] = g.color; });
  var arrowOf = {};
  data.effects.forEach(function (e) { arrowOf[e.effect] = e.arrow; });
  var pathMode = data.chains.length > 0;
  var byNode = {};
  /* what the page knows of each node and edge; vis-network gets only what it draws (lean objects
     and per-category groups build several times faster for thousands of nodes) */
  var nodeData = {}, edgeData = {};
  data.nodes.forEach(function (n) { nodeData[n.id] = n; });
  data.edges.forEach(function (e) { edgeData[e.id] = e; });
  state.nodeData = nodeData;
  state.edgeData = edgeData;
  /* neighbours beyond the view: what a click on a drawn node adds (see grow) */
  var more = data.more || {limit: 0, nodes: {}, assertions: {}, edges: {}, total: {}, statements: {}};
  Object.keys(more.statements).forEach(function (sid) {
    if (!data.statements[sid]) { data.statements[sid] = more.statements[sid]; }
  });

  var groups = {};
  function groupOf(n) {
    var key = n.cat + "-" + n.font;
    if (!groups[key]) {
      var c = cats[n.cat];
      groups[key] = {shape: c.shape, font: {size: n.font}, borderWidth: 1,
        color: {background: c.color, border: c.border,
                highlight: {background: c.color, border: "#000000"}, hover: {background: c.color, border: "#000000"}}};
      if (c.shape === "box") { groups[key].widthConstraint = {maximum: 260}; groups[key].margin = 12; }
    }
    return key;
  }

  function visNode(n) {
    var node = {id: n.id, label: n.net ? n.label + "\n" + n.net : n.label, x: n.x, y: n.y, size: n.size,
                group: groupOf(n)};
    if (n.focus) { node.borderWidth = 4; }
    return node;
  }

  /* the overview's edges are faint until a node is picked, so nodes and labels stand out */
  function baseEdgeOpacity(id) {
    return pathMode && !edgeData[id].highlighted ? 0.3 : (data.overview ? 0.3 : 1);
  }

  function visEdge(e) {
    var color = e.negated ? data.style.negated : (groupColor[e.group] || data.style.other);
    var edge = {
      id: e.id, from: e.from, to: e.to, width: e.width,
      color: {color: color, highlight: color, hover: color, inherit: false, opacity: baseEdgeOpacity(e.id)},
      arrows: {to: {enabled: true, type: arrowOf[e.effect] || "vee", scaleFactor: 0.8}}
    };
    if (e.negated) { edge.dashes = data.style.negatedDashes; }
    else if (e.binding) { edge.dashes = data.style.bindingDashes; }
    if (e.smooth) { edge.smooth = e.smooth; }
    if (e.label) { edge.label = e.label; }
    if (e.selfReference) { edge.selfReference = e.selfReference; }
    return edge;
  }

  /* A big view (data.progressive) is shown in two steps. The first paint holds vis objects only
     for the labelled nodes and draws every other node and edge itself, as plain shapes and lines
     on the same canvas under the same pan and zoom (drawPending): the whole picture, fitted, at
     once. Right after, the rest become vis objects (hover, click, select) in slices of SLICE ms,
     with vis-network's redraw held until the last, since the picture does not change; a click, a
     key, the wheel or a resize before then finishes the loading at once (ready). */
  var SLICE = 40;
  var progressive = !!data.progressive;
  function landmark(n) { return n.font > 11 || !!n.focus; }
  var laterNodes = data.nodes.filter(function (n) { return !landmark(n); });
  var laterEdges = progressive ? data.edges : [];
  var nodesDone = progressive ? 0 : laterNodes.length, edgesDone = 0;
  var landmarks = data.nodes.filter(landmark);
  // vis-network draws nodes in the order they came: the labelled ones last, on top of small marks
  var nodes = new vis.DataSet((progressive ? landmarks : laterNodes.concat(landmarks)).map(visNode));
  var edges = new vis.DataSet(progressive ? [] : data.edges.map(visEdge));
  state.complete = !progressive;
  state.timings.dataSets = performance.now();
  /* every group a node may take, before vis-network reads them (it does not see groups added later) */
  data.nodes.forEach(groupOf);
  Object.keys(more.nodes).forEach(function (id) { groupOf(more.nodes[id]); });
  data.options.groups = groups;
  var statementEdge = {};
  data.edges.forEach(function (e) {
    e.statements.forEach(function (sid) { statementEdge[sid] = e.id; });
    (byNode[e.from] = byNode[e.from] || []).push(e.id);
    if (e.to !== e.from) { (byNode[e.to] = byNode[e.to] || []).push(e.id); }
  });
  var container = document.getElementById("network");
  var status = document.getElementById("status");
  state.timings.networkStart = performance.now();
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  state.timings.networkBuilt = performance.now();
  state.network = network;
  state.nodes = nodes;
  state.edges = edges;
  state.statementEdge = statementEdge;

  /* the nodes and edges not yet handed to vis-network, drawn under the vis objects: edges as
     straight lines batched by colour, width and dashes, nodes as their category's shape */
  function shapePath(ctx, shape, x, y, r) {
    var k, a;
    if (shape === "square" || shape === "box") { ctx.rect(x - r, y - r, 2 * r, 2 * r); return; }
    if (shape === "dot" || shape === "ellipse" || shape === "database") { ctx.moveTo(x + r, y); ctx.arc(x, y, r, 0, 2 * Math.PI); return; }
    var points = {triangle: [[0, -1.15], [1, 0.58], [-1, 0.58]], triangleDown: [[0, 1.15], [1, -0.58], [-1, -0.58]],
                  diamond: [[0, -1], [1, 0], [0, 1], [-1, 0]]}[shape];
    if (!points) {
      points = [];
      var corners = shape === "star" ? 10 : 6;
      for (k = 0; k < corners; k++) {
        a = Math.PI * 2 * k / corners - Math.PI / 2;
        var f = shape === "star" && k % 2 ? 0.45 : 1;
        points.push([f * Math.cos(a), f * Math.sin(a)]);
      }
    }
    ctx.moveTo(x + r * points[0][0], y + r * points[0][1]);
    for (k = 1; k < points.length; k++) { ctx.lineTo(x + r * points[k][0], y + r * points[k][1]); }
    ctx.closePath();
  }
  /* vis-network's arrowheads (arrow, bar, vee), their tip on the target's rim */
  var HEADS = {arrow: [[0, 0], [-1, 0.3], [-0.9, 0], [-1, -0.3]], vee: [[-1, 0.3], [-0.5, 0], [-1, -0.3], [0, 0]],
               bar: [[0, 0.5], [0, -0.5], [-0.15, -0.5], [-0.15, 0.5]]};
  function arrowHead(ctx, e, width) {
    var a = nodeData[e.from], b = nodeData[e.to];
    var dx = b.x - a.x, dy = b.y - a.y, d = Math.sqrt(dx * dx + dy * dy);
    if (d < 1) { return; }
    var ux = dx / d, uy = dy / d, tipX = b.x - ux * b.size, tipY = b.y - uy * b.size;
    var length = 15 * 0.8 + 3 * width, points = HEADS[arrowOf[e.effect] || "vee"];
    points.forEach(function (p, i) {
      var x = tipX + length * (p[0] * ux - p[1] * uy), y = tipY + length * (p[0] * uy + p[1] * ux);
      if (i) { ctx.lineTo(x, y); } else { ctx.moveTo(x, y); }
    });
    ctx.closePath();
  }
  function drawPending(ctx) {
    var scale = network.getScale(), thin = 0.3 / scale;
    var batches = {}, order = [], i, key;
    for (i = edgesDone; i < laterEdges.length; i++) {
      var e = laterEdges[i];
      if (e.from === e.to) { continue; }
      key = (e.negated ? data.style.negated : (groupColor[e.group] || data.style.other)) + "|" +
        (e.negated ? "n" : e.binding ? "b" : "") + "|" + e.width + "|" + baseEdgeOpacity(e.id);
      if (!batches[key]) { batches[key] = []; order.push(key); }
      batches[key].push(e);
    }
    ctx.save();
    order.forEach(function (k) {
      var parts = k.split("|");
      ctx.strokeStyle = parts[0];
      ctx.setLineDash(parts[1] === "n" ? data.style.negatedDashes : parts[1] === "b" ? data.style.bindingDashes : []);
      ctx.lineWidth = Math.max(Number(parts[2]), thin);
      ctx.globalAlpha = Number(parts[3]);
      ctx.beginPath();
      batches[k].forEach(function (e) {
        var a = nodeData[e.from], b = nodeData[e.to];
        ctx.moveTo(a.x, a.y);
        ctx.lineTo(b.x, b.y);
      });
      ctx.stroke();
      if ((15 * 0.8 + 3 * ctx.lineWidth) * scale >= 3) {  // arrowheads a few pixels long or more
        ctx.fillStyle = parts[0];
        ctx.beginPath();
        batches[k].forEach(function (e) { arrowHead(ctx, e, ctx.lineWidth); });
        ctx.fill();
      }
    });
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
    // borders as vis-network draws them: the border width in screen pixels, at most the shape's width
    var shapes = {}, kinds = [];
    for (i = nodesDone; i < laterNodes.length; i++) {
      var n = laterNodes[i];
      key = n.cat + "|" + Math.round(2 * Math.min(2 * n.size, (n.focus ? 4 : 1) / scale)) / 2;
      if (!shapes[key]) { shapes[key] = []; kinds.push(key); }
      shapes[key].push(n);
    }
    kinds.forEach(function (k) {
      var parts = k.split("|"), c = cats[parts[0]];
      ctx.beginPath();
      shapes[k].forEach(function (n) { shapePath(ctx, c.shape, n.x, n.y, n.size); });
      ctx.fillStyle = c.color;
      ctx.fill();
      ctx.lineWidth = Number(parts[1]);
      ctx.strokeStyle = c.border;
      ctx.stroke();
    });
    ctx.restore();
  }
  if (progressive) {
    network.on("beforeDrawing", function (ctx) {
      if (!state.complete) { drawPending(ctx); }
    });
  }
  function loadSlice(budget) {
    var start = performance.now(), upto;
    while (nodesDone < laterNodes.length && performance.now() - start < budget) {
      upto = Math.min(laterNodes.length, nodesDone + 2500);
      nodes.add(laterNodes.slice(nodesDone, upto).map(visNode));
      nodesDone = upto;
    }
    while (nodesDone === laterNodes.length && edgesDone < laterEdges.length && performance.now() - start < budget) {
      upto = Math.min(laterEdges.length, edgesDone + 4000);
      edges.add(laterEdges.slice(edgesDone, upto).map(visEdge));
      edgesDone = upto;
    }
    if (nodesDone === laterNodes.length && edgesDone === laterEdges.length && !state.complete) {
      state.complete = true;
      state.timings.complete = performance.now();
      var body = network.body, first = {}, last = {};  // the labelled nodes on top again
      landmarks.forEach(function (n) { last[n.id] = body.nodes[n.id]; });
      Object.keys(body.nodes).forEach(function (id) { if (!last[id]) { first[id] = body.nodes[id]; } });
      body.nodes = Object.assign(first, last);
      body.emitter.emit("_dataChanged");
      network.body.emitter.emit("_allowRedraw");
      network.redraw();
      document.dispatchEvent(new CustomEvent("iapgraph:complete"));
    }
    return state.complete;
  }
  function loadLater() {
    if (!loadSlice(SLICE)) { setTimeout(loadLater, 0); }
  }
  /* everything a handler touches is a vis object from here on */
  function ready() {
    if (!state.complete) { loadSlice(Infinity); }
  }
  state.ready = ready;
  if (progressive) {
    ["pointerdown", "wheel", "touchstart", "keydown"].forEach(function (type) {
      container.addEventListener(type, ready, true);
    });
    window.addEventListener("resize", ready);
  }

  function settle(reason) {
    if (state.settled) { return; }
    state.timings.settled = performance.now();
    state.settledBy = reason;
    state.settled = true;
    status.classList.add("done");
    document.dispatchEvent(new CustomEvent("iapgraph:settled"));
  }
  /* fit before the first paint, from the stored positions and a rough size of each label, so
     the first picture is the finished one (vis-network's own fit ignores labels and stops at 1.0) */
  function prefit() {
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    data.nodes.forEach(function (n) {
      var half = Math.max(n.size, n.font * 0.3 * (n.net ? Math.max(n.label.length, n.net.length) : n.label.length));
      var below = n.size + 1.4 * n.font * (n.net ? 2 : 1);
      x0 = Math.min(x0, n.x - half); x1 = Math.max(x1, n.x + half);
      y0 = Math.min(y0, n.y - n.size - 4); y1 = Math.max(y1, n.y + below);
    });
    var width = container.clientWidth, height = container.clientHeight;
    if (!width || !height) { network.fit(FIT); return; }
    var scale = Math.min(FIT.maxZoomLevel, 0.96 * Math.min(width / Math.max(x1 - x0, 1), height / Math.max(y1 - y0, 1)));
    network.moveTo({position: {x: (x0 + x1) / 2, y: (y0 + y1) / 2}, scale: scale, animation: false});
  }
  state.prefit = prefit;
  if (data.nodes.length === 0) {
    status.textContent = "Nothing to show: no node matches this view.";
    state.settled = true;
  } else {
    prefit();
    status.textContent = "Drawing…";
    network.once("afterDrawing", function () {  // the first paint is the fitted picture
      state.timings.firstPaint = performance.now();
      settle("first paint");
      if (!state.complete) {  // the picture stays as it is while the rest loads
        network.body.emitter.emit("_blockRedraw");
        setTimeout(loadLater, 0);
      }
    });
  }

  /* ---------- tooltip: shown while the pointer is on a node or edge, hidden when it leaves ---------- */
  var tip = document.getElementById("tooltip");
  function hideTip() { tip.hidden = true; tip.textContent = ""; state.tooltip = null; }
  function showTip(card, pointer, what) {
    tip.textContent = "";
    tip.appendChild(card);
    tip.hidden = false;
    var box = container.getBoundingClientRect();
    var x = pointer.x + 14, y = pointer.y + 14;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    if (x + w > box.width) { x = Math.max(4, pointer.x - w - 14); }
    if (y + h > box.height) { y = Math.max(4, pointer.y - h - 14); }
    tip.style.left = x + "px";
    tip.style.top = y + "px";
    state.tooltip = what;
  }
  function nodeTip(id) {
    var card = nodeCard(nodeData[id].info);
    var n = (byNode[id] || []).reduce(function (sum, eid) { return sum + edgeData[eid].statements.length; }, 0);
    card.appendChild(el("p", "hint", n + (n === 1 ? " statement" : " statements") + " here; click for them, grouped."));
    return card;
  }
  /* looked up on every move (not vis-network's hover events, which miss a return to the same
     edge after the pointer left the canvas) */
  var dragging = false;
  container.addEventListener("mousemove", function (ev) {
    if (dragging) { return; }
    var box = container.getBoundingClientRect();
    var at = {x: ev.clientX - box.left, y: ev.clientY - box.top};
    var node = network.getNodeAt(at);
    var edge = node === undefined ? network.getEdgeAt(at) : undefined;
    if (node !== undefined) {
      if (state.tooltip !== "node:" + node) { showTip(nodeTip(node), at, "node:" + node); }
    } else if (edge !== undefined) {
      if (state.tooltip !== "edge:" + edge) { showTip(edgeCard(edgeData[edge], false), at, "edge:" + edge); }
    } else if (state.tooltip) {
      hideTip();
    }
  });
  network.on("dragStart", function () { dragging = true; hideTip(); });
  network.on("dragEnd", function () { dragging = false; });
  network.on("zoom", hideTip);
  container.addEventListener("mouseleave", hideTip);
  state.nodeCard = function (id) { return nodeCard(nodeData[id].info); };
  state.edgeCard = function (id, all) { return edgeCard(edgeData[id], all !== false); };

  /* ---------- highlight, select, details ---------- */
  var details = document.getElementById("details-body");
  var hopDepth = document.getElementById("hop-depth");
  var expanded = [];

  function showDetails(card) {
    details.textContent = "";
    details.appendChild(card);
  }

  function dim(brightNodes, brightEdges) {
    ready();
    nodes.update(nodes.get().map(function (n) {
      return {id: n.id, opacity: !brightNodes || brightNodes[n.id] ? 1 : 0.15};
    }));
    edges.update(edges.get().map(function (e) {
      var on = brightEdges ? brightEdges[e.id] : (!brightNodes || (brightNodes[e.from] && brightNodes[e.to]));
      var color = Object.assign({}, e.color, {opacity: brightNodes || brightEdges ? (on ? 1 : 0.06) : baseEdgeOpacity(e.id)});
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

  /* a clicked node's neighbours get a readable label at the current zoom (the overview's small marks) */
  function expand(ids) {
    ready();
    collapse();
    var readable = Math.min(40, Math.max(13, 14 / network.getScale()));
    expanded = ids;
    nodes.update(ids.map(function (id) {
      return {id: id, font: {size: Math.max(nodeData[id].font, readable)}};
    }));
    state.expanded = ids.slice();
  }
  function collapse() {
    if (expanded.length) {
      nodes.update(expanded.map(function (id) { return {id: id, font: {size: nodeData[id].font}}; }));
    }
    expanded = [];
    state.expanded = [];
  }

  /* the node's statements, grouped by relation (and direction), then partner, with counts */
  function groupedStatements(id) {
    var groups = {};
    var order = [];
    (byNode[id] || []).forEach(function (eid) {
      var e = edgeData[eid];
      var first = data.statements[e.statements[0]];
      var out = e.from === id;
      var name = nodeData[id].info.label;
      var relation = (e.negated ? "NOT " : "") + first.relation;
      var key = (out ? "out " : "in ") + relation;
      var heading = out ? name + " " + relation + " …" : "… " + relation + " " + name;
      if (!groups[key]) { groups[key] = {heading: heading, rows: [], count: 0, negated: e.negated}; order.push(key); }
      var partner = out ? e.to : e.from;
      var infos = statementsOf(e);
      var partnerLabel = e.from === e.to ? name + " (itself)" : nodeData[partner].info.label;
      groups[key].rows.push({edge: e, partner: partnerLabel, count: infos.length,
                             hedged: infos.filter(function (i) { return i.hedged; }).length});
      groups[key].count += infos.length;
    });
    order.sort(function (a, b) { return groups[b].count - groups[a].count || (a < b ? -1 : 1); });
    return order.map(function (k) {
      groups[k].rows.sort(function (a, b) { return b.count - a.count || (a.partner < b.partner ? -1 : 1); });
      return groups[k];
    });
  }

  function statementList(id) {
    var box = el("div", "grouped");
    var groups = groupedStatements(id);
    var total = groups.reduce(function (s, g) { return s + g.count; }, 0);
    box.appendChild(el("h4", null, "Statements here (" + total + ")"));
    groups.forEach(function (g) {
      var section = el("div", "relation-group");
      var head = el("div", "relation-head" + (g.negated ? " negated" : ""), g.heading);
      head.appendChild(el("span", "count", g.count));
      section.appendChild(head);
      var list = el("ul", "statements");
      g.rows.forEach(function (r) {
        var li = el("li", r.edge.negated ? "negated" : null);
        li.appendChild(el("span", "sign", EFFECT_MARK[r.edge.effect] || ""));
        li.appendChild(el("span", "partner", r.partner));
        if (r.edge.negated) { li.appendChild(el("span", "mark", "negated")); }
        if (r.hedged) { li.appendChild(el("span", "mark", "hedged" + (r.count > 1 ? " ×" + r.hedged : ""))); }
        li.appendChild(el("span", "count", r.count));
        li.dataset.edge = r.edge.id;
        li.addEventListener("click", function () { selectEdge(r.edge.id); });
        list.appendChild(li);
      });
      section.appendChild(list);
      box.appendChild(section);
    });
    return box;
  }

  /* a click on a node adds its neighbours that are not drawn yet (from data.more: at most
     more.limit per node), placed around it on the side away from the rest of the drawing, and the
     assertions that join them to it; a node added so expands the same way when clicked */
  var grown = {};
  state.grown = grown;
  function crowded(positions, x, y) {
    return Object.keys(positions).some(function (k) {
      return Math.abs(positions[k].x - x) < 80 && Math.abs(positions[k].y - y) < 40;
    });
  }
  function grow(id) {
    ready();
    if (grown[id] !== undefined || !more.edges[id]) { return []; }
    var list = more.edges[id].map(function (eid) { return more.assertions[eid]; });
    var fresh = [];
    list.forEach(function (e) {
      var other = e.from === id ? e.to : e.from;
      if (!nodeData[other] && fresh.indexOf(other) < 0) { fresh.push(other); }
    });
    var at = network.getPositions([id])[id];
    var all = network.getPositions();
    var gx = 0, gy = 0, count = 0;
    Object.keys(all).forEach(function (k) { gx += all[k].x; gy += all[k].y; count += 1; });
    gx /= count; gy /= count;
    var away = (Math.abs(at.x - gx) + Math.abs(at.y - gy)) > 1 ? Math.atan2(at.y - gy, at.x - gx) : 0;
    /* rings on the half circle that faces away from the drawing: 7 on the first, 2 more on each next */
    var slots = [], ring = 0;
    while (slots.length < fresh.length) {
      var room = Math.min(7 + 2 * ring, fresh.length - slots.length);
      for (var k = 0; k < room; k++) {
        slots.push({radius: 170 + 90 * ring,
                    angle: away + (room > 1 ? Math.PI * (k / (room - 1) - 0.5) : 0) + (ring % 2 ? 0.15 : 0)});
      }
      ring += 1;
    }
    fresh.forEach(function (m, i) {
      var angle = slots[i].angle, radius = slots[i].radius;
      var r = radius, x = 0, y = 0;
      for (var tries = 0; tries < 12; tries++, r += 40) {  // outwards until no drawn node is that close
        x = Math.round(at.x + r * Math.cos(angle));
        y = Math.round(at.y + r * Math.sin(angle));
        if (!crowded(all, x, y)) { break; }
      }
      all[m] = {x: x, y: y};
      var n = Object.assign({}, more.nodes[m], {x: x, y: y, added: id});
      nodeData[m] = n;
      data.nodes.push(n);
      nodes.add(visNode(n));
      if (indexed) { indexNode(n); }
    });
    list.forEach(function (e) {
      if (edgeData[e.id]) { return; }
      edgeData[e.id] = e;
      data.edges.push(e);
      data.statementCount += e.statements.length;
      e.statements.forEach(function (sid) { statementEdge[sid] = e.id; });
      (byNode[e.from] = byNode[e.from] || []).push(e.id);
      (byNode[e.to] = byNode[e.to] || []).push(e.id);
      edges.add(visEdge(e));
    });
    grown[id] = fresh;
    applyFilters();
    return fresh;
  }
  state.grow = grow;

  /* what the panel says of the neighbours beyond the view */
  function growNote(id) {
    var total = more.total[id] || 0;
    var from = nodeData[id].added;
    var text = from ? "Added by a click on " + nodeData[from].info.label + ". " : "";
    if (!total) { return pathMode ? "" : text + "All its neighbours are drawn."; }
    if (!more.edges[id]) {
      return text + "Its " + total + (total === 1 ? " neighbour" : " neighbours") +
        " beyond the view are not in this file (make a focus view of it).";
    }
    var added = (grown[id] || []).length;
    text += "Its " + (total > more.limit ? more.limit + " best connected of " + total : total) +
      " neighbours beyond the view are drawn now" + (added ? " (" + added + " added)" : "") + ".";
    if (total > more.limit) { text += " This file carries at most " + more.limit + " per node."; }
    return text;
  }

  function selectNode(id, move) {
    ready();
    var node = nodeData[id];
    if (!node) { return; }
    hideTip();
    network.selectNodes([id]);
    if (move) { network.focus(id, {scale: Math.max(network.getScale(), 0.9), animation: false}); }
    var bright = around(id, Number(hopDepth.value));
    dim(bright, null);
    expand(network.getConnectedNodes(id).concat([id]));
    var card = nodeCard(node.info);
    var note = growNote(id);
    if (note) { card.appendChild(el("p", "hint grow-note", note)); }
    if ((byNode[id] || []).length) { card.appendChild(statementList(id)); }
    showDetails(card);
    state.selected = id;
  }

  function selectEdge(id) {
    ready();
    var edge = edgeData[id];
    if (!edge) { return; }
    hideTip();
    network.selectEdges([id]);
    var bright = {};
    bright[edge.from] = true;
    bright[edge.to] = true;
    var brightEdges = {};
    brightEdges[id] = true;
    dim(bright, brightEdges);
    expand([edge.from, edge.to]);
    showDetails(edgeCard(edge, true));
    state.selected = id;
  }

  function clearSelection() {
    ready();
    network.unselectAll();
    dim(null, null);
    collapse();
    details.textContent = "";
    details.appendChild(el("p", "hint", "Click a node or an edge to see its full record."));
    state.selected = null;
  }

  network.on("click", function (p) {
    if (p.nodes.length) { grow(p.nodes[0]); selectNode(p.nodes[0], false); }
    else if (p.edges.length) { selectEdge(p.edges[0]); }
    else { clearSelection(); }
  });
  hopDepth.addEventListener("change", function () {
    if (state.selected && nodeData[state.selected]) { selectNode(state.selected, false); }
  });

  /* ---------- search: Enter finds, Esc clears ---------- */
  var GREEK = {"α": "a", "β": "b", "γ": "g", "κ": "k", "ɑ": "a"};
  function normalize(name) {
    var text = String(name).normalize("NFKC").trim().toLowerCase();
    text = text.replace(/[αβγκɑ]/g, function (c) { return GREEK[c]; });
    return text.replace(/[\s\-_‐–—/().,']+/g, "");
  }
  var index = {};
  var shown = [];
  function indexNode(n) {
    var names = [n.info.label, n.info.id, n.info.symbol].concat(n.info.aliases,
      n.info.xrefs.map(function (x) { return x[0]; }), n.info.xrefs.map(function (x) { return x[0].split(":")[1]; }));
    names.forEach(function (name) {
      if (!name) { return; }
      var key = normalize(name);
      if (!key) { return; }
      (index[key] = index[key] || []).indexOf(n.id) < 0 && index[key].push(n.id);
    });
  }
  /* built after the first paint (or at the first search), not before it */
  var indexed = false;
  function buildIndex() {
    if (indexed) { return; }
    indexed = true;
    data.nodes.forEach(function (n) {
      indexNode(n);
      shown.push(n.info.label);
    });
    var datalist = document.getElementById("search-names");
    shown.sort().forEach(function (label) {
      var option = document.createElement("option");
      option.value = label;
      datalist.appendChild(option);
    });
  }
  if (state.complete) { document.addEventListener("iapgraph:settled", function () { setTimeout(buildIndex, 0); }); }
  else { document.addEventListener("iapgraph:complete", function () { setTimeout(buildIndex, 0); }); }
  var message = document.getElementById("search-message");
  var search = document.getElementById("search");
  function find(query) {
    buildIndex();
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
    ready();
    var query = search.value;
    var hits = find(query);
    message.textContent = "";
    if (!hits.length) {
      message.textContent = "no node named “" + query + "” in this view";
      return;
    }
    if (hits.length > 1) {
      message.textContent = hits.length + " matches: " + hits.slice(0, 6).map(function (id) {
        return nodeData[id].info.label; }).join(", ") + (hits.length > 6 ? ", …" : "");
    }
    if (nodes.get(hits[0]).hidden) { message.textContent = "shown, though its kind is hidden in the legend"; }
    selectNode(hits[0], true);
  });
  function clearSearch() {
    search.value = "";
    message.textContent = "";
    clearSelection();
    network.fit(FIT);
  }
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { ev.preventDefault(); clearSearch(); }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && ev.target !== search) { hideTip(); clearSelection(); }
  });

  /* ---------- buttons ---------- */
  document.getElementById("fit").addEventListener("click", function () {
    ready();
    network.fit({maxZoomLevel: FIT.maxZoomLevel, animation: {duration: 300}});
  });
  var physics = document.getElementById("physics");
  physics.addEventListener("change", function () {
    ready();
    network.setOptions({physics: Object.assign({}, data.physics, {enabled: physics.checked})});
  });

  /* ---------- legend and filters ---------- */
  var hiddenCats = {}, hiddenGroups = {}, hideNegated = false;
  var classKeep = null;  // statement id -> true while a class filter is on
  var classNodes = {};   // the class and its subtypes, shown while the filter is on
  function keptStatements(e) {
    return classKeep ? e.statements.filter(function (sid) { return classKeep[sid]; }) : e.statements;
  }
  function applyFilters() {
    ready();
    var edgeOff = {}, ends = {};
    data.edges.forEach(function (e) {
      edgeOff[e.id] = !!hiddenGroups[e.group] || (hideNegated && e.negated) ||
        !!hiddenCats[nodeData[e.from].cat] || !!hiddenCats[nodeData[e.to].cat] ||
        keptStatements(e).length === 0;
      if (!edgeOff[e.id]) { ends[e.from] = true; ends[e.to] = true; }
    });
    nodes.update(data.nodes.map(function (n) {
      return {id: n.id, hidden: !!hiddenCats[n.cat] || (!!classKeep && !ends[n.id] && !classNodes[n.id])};
    }));
    edges.update(data.edges.map(function (e) { return {id: e.id, hidden: edgeOff[e.id]}; }));
    var visibleNodes = nodes.get({filter: function (n) { return !n.hidden; }}).length;
    var visibleEdges = edges.get({filter: function (e) { return !e.hidden; }});
    var visibleStatements = visibleEdges.reduce(function (s, e) { return s + keptStatements(edgeData[e.id]).length; }, 0);
    document.getElementById("count-nodes").textContent = visibleNodes === nodes.length ?
      String(nodes.length) : visibleNodes + " of " + nodes.length;
    document.getElementById("count-edges").textContent = visibleEdges.length === edges.length ?
      String(edges.length) : visibleEdges.length + " of " + edges.length;
    document.getElementById("count-statements").textContent = visibleStatements === data.statementCount ?
      String(data.statementCount) : visibleStatements + " of " + data.statementCount;
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
  function edgeSwatch(color, dashes, head, width) {
    var s = svg(40, 14);
    var line = shapeEl("line", {x1: 2, y1: 7, x2: head ? 30 : 38, y2: 7, stroke: color, "stroke-width": width || 2});
    if (dashes) { line.setAttribute("stroke-dasharray", dashes.join(" ")); }
    s.appendChild(line);
    if (head === "arrow") { s.appendChild(shapeEl("polygon", {points: "29,2 38,7 29,12", fill: color})); }
    if (head === "bar") { s.appendChild(shapeEl("line", {x1: 33, y1: 1, x2: 33, y2: 13, stroke: color, "stroke-width": 3})); }
    if (head === "vee") { s.appendChild(shapeEl("polygon", {points: "29,2 38,7 29,12 32,7", fill: color})); }
    return s;
  }
  function legendItem(parent, swatch, label, count, onToggle, tipText) {
    var item = el("div", "legend-item" + (onToggle ? "" : " static"));
    item.appendChild(swatch);
    item.appendChild(el("span", null, label));
    if (count !== null) { item.appendChild(el("span", "count", count)); }
    if (tipText) { item.setAttribute("title", tipText); }
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
    legendItem(legendNodes, nodeSwatch(c.shape, c.color, c.border), c.label, c.count || null, function () {
      hiddenCats[c.key] = !hiddenCats[c.key];
      return hiddenCats[c.key];
    }).dataset.cat = c.key;
  });
  document.getElementById("legend-size").textContent = "Node size: " + data.sizeBy + ". " +
    (data.nodes.length > 120 ? "Small marks show their name on hover or when you zoom in." : "");
  var legendEdges = document.getElementById("legend-edges");
  data.relationGroups.forEach(function (g) {
    legendItem(legendEdges, edgeSwatch(g.color, null, null), g.label, g.count, function () {
      hiddenGroups[g.key] = !hiddenGroups[g.key];
      return hiddenGroups[g.key];
    }, g.relations.join(", ")).dataset.group = g.key;
  });
  if (data.negatedCount) {
    legendItem(legendEdges, edgeSwatch(data.style.negated, [2, 3], null), "negated: the review says it does NOT",
      data.negatedCount, function () { hideNegated = !hideNegated; return hideNegated; }).dataset.group = "negated";
  }
  var legendArrows = document.getElementById("legend-arrows");
  data.effects.forEach(function (e) {
    legendItem(legendArrows, edgeSwatch("#424242", null, e.arrow), e.label, null, null);
  });
  legendItem(legendArrows, edgeSwatch("#1565c0", [6, 4], null), "dashed: binding", null, null);
  legendItem(legendArrows, edgeSwatch("#424242", null, null, 5), "thicker: more statements (×N on the label)", null, null);
  if (pathMode) {
    legendItem(legendArrows, edgeSwatch("#424242", null, null, 7), "thickest: on a path", null, null);
  }

  /* ---------- filter by class: a class and its subtypes (is_a, transitively) ---------- */
  var classes = data.classes || {subtypes: {}, labels: {}, touch: {}};
  var classSelect = document.getElementById("class-filter");
  var classMatched = document.getElementById("class-matched");
  var classIds = Object.keys(classes.subtypes).sort(function (a, b) {
    var x = classes.labels[a].toLowerCase(), y = classes.labels[b].toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  });
  if (classIds.length) { document.getElementById("class-filter-box").hidden = false; }
  classIds.forEach(function (c) {
    var n = classes.subtypes[c].length;
    var option = el("option", null, classes.labels[c] + " (+" + n + (n === 1 ? " subtype)" : " subtypes)"));
    option.value = c;
    classSelect.appendChild(option);
  });
  function filterByClass(c) {
    ready();
    classMatched.textContent = "";
    classKeep = null;
    classNodes = {};
    state.classFilter = null;
    if (c && classes.subtypes[c]) {
      classKeep = {};
      var matched = [];
      [c].concat(classes.subtypes[c]).forEach(function (m) {
        classNodes[m] = true;
        var sids = classes.touch[m] || [];
        sids.forEach(function (sid) { classKeep[sid] = true; });
        if (sids.length) { matched.push([m, sids.length]); }
      });
      state.classFilter = {cls: c, statements: Object.keys(classKeep).sort(), matched: matched};
      classMatched.appendChild(el("li", null, classes.labels[c] + " and its subtypes: " +
        Object.keys(classKeep).length + " statements; matched by"));
      matched.forEach(function (m) {
        var li = el("li", "class-match", classes.labels[m[0]] + (m[0] === c ? " (the class itself)" : "") +
          ": " + m[1] + (m[1] === 1 ? " statement" : " statements"));
        li.dataset.cls = m[0];
        classMatched.appendChild(li);
      });
    }
    var was = classSelect.dataset.on === "1";
    classSelect.value = c || "";
    classSelect.dataset.on = classKeep ? "1" : "";
    applyFilters();
    if (classKeep) {  // what is left, fitted and labelled
      var left = nodes.get({filter: function (n) { return !n.hidden; }}).map(function (n) { return n.id; });
      if (left.length) {
        network.fit({nodes: left, maxZoomLevel: FIT.maxZoomLevel, animation: false});
        expand(left);
      }
    } else if (was) {
      collapse();
      network.fit(FIT);
    }
  }
  state.filterByClass = filterByClass;
  classSelect.addEventListener("change", function () { filterByClass(classSelect.value); });
  document.getElementById("class-clear").addEventListener("click", function () { filterByClass(""); });

  /* ---------- paths ---------- */
  var NET = {up: "net: up ↑", down: "net: down ⊣", unknown: "net: not stated", neutral: "net: neutral"};
  if (data.chains.length) {
    document.getElementById("paths").hidden = false;
    var list = document.getElementById("path-list");
    data.chains.forEach(function (chain) {
      // the chain's own text ends "(net up)": the coloured mark after it says so once
      var li = el("li", null, chain.net ? chain.text.replace(/\s*\(net [^)]*\)\s*$/, "") : chain.text);
      if (chain.net) { li.appendChild(el("span", "net net-" + chain.net, NET[chain.net] || chain.net)); }
      li.addEventListener("click", function () {
        var active = li.classList.contains("active");
        Array.prototype.forEach.call(list.children, function (c) { c.classList.remove("active"); });
        if (active) { clearSelection(); return; }
        li.classList.add("active");
        var bright = {}, brightEdges = {};
        chain.statements.forEach(function (sid) {
          var e = edges.get(statementEdge[sid]);
          if (e) { brightEdges[e.id] = true; bright[e.from] = true; bright[e.to] = true; }
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
    filterByClass("");
    Array.prototype.forEach.call(document.querySelectorAll(".legend-item.off"), function (i) { i.classList.remove("off"); });
    applyFilters();
    clearSelection();
    message.textContent = "";
    network.fit({maxZoomLevel: FIT.maxZoomLevel, animation: {duration: 300}});
  });
  state.selectNode = selectNode;
  state.selectEdge = selectEdge;
  state.clearSelection = clearSelection;
  state.hideTip = hideTip;
})();
