// network.html: the commenter network on a canvas. No library, no request: the graph is the
// JSON in <script id="graph-data">, written by discourse.output.network_html.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var nodes = data.nodes, edges = data.edges;
  var canvas = document.getElementById("network"), ctx = canvas.getContext("2d");
  var card = document.getElementById("card"), side = document.getElementById("side");
  var SIDE = 300, MIN_RADIUS = 1.6, LABEL_FONT = "12px Helvetica, Arial, sans-serif";
  var view = { k: 1, tx: 0, ty: 0 }, width = 0, height = 0, ratio = window.devicePixelRatio || 1;
  var state = { colourBy: "community", community: "", topic: "", kinds: {}, hover: -1, picked: -1 };
  var communityColour = {}, topicColour = {}, topicLabel = {}, neighbours = nodes.map(function () { return {}; });
  var pending = false, drag = null;

  data.communities.forEach(function (c) { communityColour[c[0]] = c[1]; });
  data.topics.forEach(function (t) { topicColour[t[0]] = t[2]; topicLabel[t[0]] = t[1]; });
  data.kinds.forEach(function (k) { state.kinds[k[0]] = k[1]; });
  edges.forEach(function (e) { neighbours[e[0]][e[1]] = true; neighbours[e[1]][e[0]] = true; });

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }
  function plural(n, one, many) { return n.toLocaleString("en") + " " + (n === 1 ? one : many); }
  function colourOf(n) {
    var table = state.colourBy === "topic" ? topicColour : communityColour;
    var key = state.colourBy === "topic" ? n.topic : n.community;
    return (key !== null && table[key]) || data.other_colour;
  }
  function shown(n) {
    return (state.community === "" || String(n.community) === state.community) &&
      (state.topic === "" || String(n.topic) === state.topic);
  }
  function edgeShown(e) { return state.kinds[e[3]] && shown(nodes[e[0]]) && shown(nodes[e[1]]); }
  function sx(n) { return n.x * view.k + view.tx; }
  function sy(n) { return n.y * view.k + view.ty; }
  function radius(n) { return Math.max(MIN_RADIUS, n.r * view.k); }

  // --- the side panel ------------------------------------------------------------------------
  function setUp() {
    var linkCount = edges.filter(function (e) { return state.kinds[e[3]]; }).length;
    var summary = plural(nodes.length, "commenter", "commenters") + ", " +
      plural(linkCount, "link", "links") + " (" + data.kinds.filter(function (k) { return k[1]; })
        .map(function (k) { return k[0]; }).join(", ") + ").";
    if (!linkCount) { summary += " No reply links: nobody answered anyone, so there is no ranking."; }
    else if (!data.ranking_meaningful) { summary += " Too few reply links to rank commenters: sizes say nothing."; }
    document.getElementById("summary").textContent = summary;
    document.getElementById("backbone").textContent = data.backbone;
    var names = document.getElementById("names");
    nodes.slice(0, 2000).forEach(function (n) { var o = el("option"); o.value = n.name; names.appendChild(o); });
    var community = document.getElementById("community");
    data.communities.forEach(function (c) {
      var o = el("option", "community " + c[0] + " (" + plural(c[2], "commenter", "commenters") + ")");
      o.value = String(c[0]); community.appendChild(o);
    });
    var topic = document.getElementById("topic");
    data.topics.forEach(function (t) { var o = el("option", t[1] || "topic " + t[0]); o.value = String(t[0]); topic.appendChild(o); });
    var kinds = document.getElementById("kinds");
    data.kinds.forEach(function (k) {
      var label = el("label"), box = el("input");
      box.type = "checkbox"; box.checked = k[1]; box.value = k[0];
      box.addEventListener("change", function () { state.kinds[k[0]] = box.checked; redraw(); });
      label.appendChild(box); label.appendChild(document.createTextNode(" " + k[0] + (k[1] ? "" : " (not measured)")));
      kinds.appendChild(label);
    });
    if (!data.kinds.length) { kinds.appendChild(el("span", "no links")); }
    community.addEventListener("change", function () { state.community = community.value; redraw(); });
    topic.addEventListener("change", function () { state.topic = topic.value; redraw(); });
    document.getElementById("colour").addEventListener("change", function (event) {
      state.colourBy = event.target.value; key(); redraw();
    });
    var search = document.getElementById("search");
    search.addEventListener("change", function () { find(search.value); });
    search.addEventListener("keydown", function (event) { if (event.key === "Enter") { find(search.value); } });
    document.getElementById("zoomin").addEventListener("click", function () { zoom(1.5, width / 2, height / 2); });
    document.getElementById("zoomout").addEventListener("click", function () { zoom(1 / 1.5, width / 2, height / 2); });
    document.getElementById("reset").addEventListener("click", function () { fit(); redraw(); });
    key();
  }

  function key() {
    var box = document.getElementById("key"), counts = {};
    box.textContent = "";
    var rows = state.colourBy === "topic" ?
      data.topics.map(function (t) { return [t[2], t[1] || "topic " + t[0], t[0]]; }) :
      data.communities.map(function (c) { return [c[1], "community " + c[0] + ": " + plural(c[2], "commenter", "commenters"), c[0]]; });
    nodes.forEach(function (n) {
      var id = state.colourBy === "topic" ? n.topic : n.community;
      counts[id] = (counts[id] || 0) + 1;
    });
    var coloured = {}, others = 0;
    rows.forEach(function (r) { if (r[0] !== data.other_colour) { coloured[r[2]] = true; } });
    nodes.forEach(function (n) { var id = state.colourBy === "topic" ? n.topic : n.community; if (!coloured[id]) { others += 1; } });
    rows.filter(function (r) { return coloured[r[2]]; }).forEach(function (r) {
      var row = el("div"), dot = el("i");
      dot.style.background = r[0]; row.appendChild(dot); row.appendChild(el("span", r[1])); box.appendChild(row);
    });
    if (others) {
      var row = el("div"), dot = el("i");
      dot.style.background = data.other_colour; row.appendChild(dot);
      row.appendChild(el("span", "other (" + plural(others, "commenter", "commenters") + ")")); box.appendChild(row);
    }
  }

  function find(text) {
    var query = text.trim().toLowerCase(), found = document.getElementById("found"), best = -1;
    if (!query) { found.textContent = ""; return; }
    for (var i = 0; i < nodes.length && best < 0; i++) { if (nodes[i].name.toLowerCase() === query) { best = i; } }
    for (i = 0; i < nodes.length && best < 0; i++) { if (nodes[i].name.toLowerCase().indexOf(query) >= 0) { best = i; } }
    if (best < 0) { found.textContent = "No commenter matches “" + text.trim() + "”."; return; }
    var n = nodes[best];
    found.textContent = "Found " + n.name + " (#" + n.rank + " by the ranking score).";
    view.k = Math.max(view.k, 2 * fitScale());
    view.tx = width / 2 - n.x * view.k; view.ty = height / 2 - n.y * view.k;
    state.picked = best; state.hover = best;
    redraw(); showCard(best, sx(n), sy(n)); listComments(best);
  }

  function showCard(i, x, y) {
    if (i < 0) { card.hidden = true; return; }
    var n = nodes[i], c = n.card;
    card.textContent = "";
    card.appendChild(el("h2", n.name));
    card.appendChild(el("p", "#" + n.rank + " by the report's ranking score" +
      (c.report_rank ? " (#" + c.report_rank + " in the report)" : "") +
      (n.community !== null ? "; community " + n.community : "")));
    var table = el("table");
    c.measures.forEach(function (m) {
      var tr = el("tr");
      tr.appendChild(el("td", m[0]));
      tr.appendChild(el("td", typeof m[1] === "number" && !Number.isInteger(m[1]) ? m[1].toPrecision(3) : m[1]));
      table.appendChild(tr);
    });
    card.appendChild(table);
    if (c.why) { card.appendChild(el("p", c.why, "why")); }
    if (c.topics.length) {
      card.appendChild(el("p", "Main topics: " + c.topics.map(function (t) { return t[0] + " (" + t[1] + ")"; }).join("; ")));
    }
    if (c.partners.length) {
      card.appendChild(el("p", "Top partners: " + c.partners.map(function (p) { return p[0] + " (" + p[1] + ")"; }).join(", ")));
    }
    card.hidden = false;
    var left = Math.min(x + SIDE + 16, window.innerWidth - card.offsetWidth - 8);
    var top = Math.min(y + 16, window.innerHeight - card.offsetHeight - 8);
    card.style.left = Math.max(SIDE, left) + "px"; card.style.top = Math.max(0, top) + "px";
  }

  function listComments(i) {
    var box = document.getElementById("comments"), mine = data.comments[String(i)], n = nodes[i];
    box.textContent = "";
    box.appendChild(el("h2", "Comments by " + n.name));
    if (!mine) { box.appendChild(el("p", "No comments.")); return; }
    var last = null;
    mine.list.forEach(function (c) {
      if (c[0] !== last) {
        var sub = data.subthreads[c[0]];
        box.appendChild(el("h3", "Subthread " + c[0] + (sub ? (sub[0] ? ": " + sub[0] : "") +
          " (started by " + (sub[1] || "unknown") + ", " + plural(sub[2], "comment", "comments") + ")" : "")));
        last = c[0];
      }
      var p = el("p");
      if (c[2]) { p.appendChild(el("span", "to " + c[2] + ": ", "to")); }
      p.appendChild(document.createTextNode(c[1]));
      box.appendChild(p);
    });
    if (mine.more) { box.appendChild(el("p", plural(mine.more, "more comment", "more comments") + " in comments.csv.")); }
  }

  // --- drawing ---------------------------------------------------------------------------------
  function fitScale() {
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    nodes.forEach(function (n) { x0 = Math.min(x0, n.x - n.r); x1 = Math.max(x1, n.x + n.r); y0 = Math.min(y0, n.y - n.r); y1 = Math.max(y1, n.y + n.r); });
    if (!nodes.length) { return 1; }
    return Math.min((width - 60) / Math.max(x1 - x0, 1), (height - 60) / Math.max(y1 - y0, 1));
  }
  function fit() {
    if (!nodes.length) { return; }
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    nodes.forEach(function (n) { x0 = Math.min(x0, n.x); x1 = Math.max(x1, n.x); y0 = Math.min(y0, n.y); y1 = Math.max(y1, n.y); });
    view.k = Math.min(fitScale(), 4);
    view.tx = width / 2 - (x0 + x1) / 2 * view.k; view.ty = height / 2 - (y0 + y1) / 2 * view.k;
  }
  function resize() {
    width = Math.max(100, window.innerWidth - SIDE); height = Math.max(100, window.innerHeight);
    canvas.width = width * ratio; canvas.height = height * ratio;
    canvas.style.width = width + "px"; canvas.style.height = height + "px";
  }
  function redraw() {
    if (!pending) { pending = true; window.requestAnimationFrame(draw); }
  }

  function draw() {
    pending = false;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, width, height);
    if (!nodes.length) { ctx.fillStyle = "#777"; ctx.font = LABEL_FONT; ctx.fillText("no commenters", 20, 30); return; }
    var focus = state.hover >= 0 ? state.hover : state.picked;
    var few = edges.length <= 3000;
    var buckets = {};
    edges.forEach(function (e) {
      if (!edgeShown(e)) { return; }
      var touches = focus >= 0 && (e[0] === focus || e[1] === focus);
      var w = Math.min(4, 1 + Math.floor(Math.log2(e[2]))), dashed = e[4] || e[3] !== "reply";
      var id = (touches ? "f" : "n") + w + (dashed ? "d" : "s");
      (buckets[id] = buckets[id] || []).push(e);
    });
    Object.keys(buckets).sort().reverse().forEach(function (id) {
      var touches = id[0] === "f", w = Number(id[1]);
      ctx.beginPath();
      ctx.lineWidth = (few ? 0.7 : 0.45) * w * (touches ? 1.6 : 1);
      ctx.strokeStyle = touches ? "rgba(30,30,30,0.85)" : focus >= 0 ? "rgba(140,140,140,0.25)" : few ? "rgba(120,120,120,0.55)" : "rgba(120,120,120,0.3)";
      ctx.setLineDash(id[2] === "d" ? [4, 3] : []);
      buckets[id].forEach(function (e) {
        var a = nodes[e[0]], b = nodes[e[1]], ax = sx(a), ay = sy(a), bx = sx(b), by = sy(b);
        ctx.moveTo(ax, ay); ctx.lineTo(bx, by);
        if (few || touches) {  // arrowhead at the target's rim: A -> B means A replied to B
          var dx = bx - ax, dy = by - ay, length = Math.sqrt(dx * dx + dy * dy), rb = radius(b);
          if (length > rb + 12) {
            var ux = dx / length, uy = dy / length, tipx = bx - ux * rb, tipy = by - uy * rb, s = 4 + w;
            ctx.moveTo(tipx - ux * s - uy * s * 0.5, tipy - uy * s + ux * s * 0.5); ctx.lineTo(tipx, tipy);
            ctx.lineTo(tipx - ux * s + uy * s * 0.5, tipy - uy * s - ux * s * 0.5);
          }
        }
      });
      ctx.stroke();
    });
    ctx.setLineDash([]);
    for (var i = nodes.length - 1; i >= 0; i--) {  // the top-ranked drawn last, on top
      var n = nodes[i], x = sx(n), y = sy(n), r = radius(n);
      if (x < -r || y < -r || x > width + r || y > height + r) { continue; }
      var dim = !shown(n) || (focus >= 0 && i !== focus && !neighbours[focus][i]);
      ctx.globalAlpha = !shown(n) ? 0.12 : dim ? 0.35 : 1;
      ctx.beginPath(); ctx.arc(x, y, r, 0, 2 * Math.PI);
      ctx.fillStyle = colourOf(n); ctx.fill();
      if (r > 2.5) { ctx.lineWidth = i === focus ? 2.5 : 0.7; ctx.strokeStyle = i === focus ? "#000" : "#333"; ctx.stroke(); }
    }
    ctx.globalAlpha = 1;
    labels(focus);
  }

  function labels(focus) {
    // Each label starts at its node's rim (right, else left); one that would cover another label
    // or another commenter is skipped. Nodes are found through a grid of 40-pixel cells.
    var taken = [], tries = 0, grid = {}, CELL = 40;
    nodes.forEach(function (n, i) {
      var x = sx(n), y = sy(n);
      if (x < -40 || y < -40 || x > width + 40 || y > height + 40 || !shown(n)) { return; }
      var id = Math.floor(x / CELL) + "," + Math.floor(y / CELL);
      (grid[id] = grid[id] || []).push(i);
    });
    function coversNode(box, own) {
      for (var gx = Math.floor((box[0] - 20) / CELL); gx <= Math.floor((box[2] + 20) / CELL); gx++) {
        for (var gy = Math.floor((box[1] - 20) / CELL); gy <= Math.floor((box[3] + 20) / CELL); gy++) {
          var cell = grid[gx + "," + gy] || [];
          for (var k = 0; k < cell.length; k++) {
            if (cell[k] === own) { continue; }
            var m = nodes[cell[k]], mx = sx(m), my = sy(m), r = radius(m);
            var cx = Math.max(box[0], Math.min(mx, box[2])), cy = Math.max(box[1], Math.min(my, box[3]));
            if ((cx - mx) * (cx - mx) + (cy - my) * (cy - my) < r * r) { return true; }
          }
        }
      }
      return false;
    }
    function place(i, force) {
      var n = nodes[i], x = sx(n), y = sy(n), r = radius(n);
      if (x < 0 || y < 0 || x > width || y > height || !shown(n)) { return; }
      ctx.font = (n.bold ? "bold " : "") + LABEL_FONT;
      var w = ctx.measureText(n.name).width;
      var spots = [[x + r + 2, x + r + 4], [x - r - 6 - w, x - r - 4 - w]];
      for (var s = 0; s < spots.length; s++) {
        var box = [spots[s][0], y - 8, spots[s][0] + w + 4, y + 8], free = true;
        for (var j = 0; j < taken.length && free; j++) {
          var t = taken[j];
          if (box[0] < t[2] && box[2] > t[0] && box[1] < t[3] && box[3] > t[1]) { free = false; }
        }
        if (free && coversNode(box, i)) { free = false; }
        if (free || (force && s === 0)) {
          taken.push(box);
          ctx.fillStyle = "rgba(255,255,255,0.8)"; ctx.fillRect(box[0], box[1], box[2] - box[0], box[3] - box[1]);
          ctx.fillStyle = "#111"; ctx.fillText(n.name, spots[s][1], y);
          return;
        }
      }
    }
    if (focus >= 0) { place(focus, true); }
    for (var i = 0; i < nodes.length && tries < 400; i++) {
      if (i === focus) { continue; }
      var n = nodes[i];
      if (n.bold || i < 15 || radius(n) >= 7 || nodes.length <= 40) { tries += 1; place(i, false); }
    }
  }

  // --- pointer ---------------------------------------------------------------------------------
  function nodeAt(x, y) {
    var best = -1, bestDistance = Infinity;
    for (var i = 0; i < nodes.length; i++) {
      var n = nodes[i];
      if (!shown(n)) { continue; }
      var dx = sx(n) - x, dy = sy(n) - y, d = dx * dx + dy * dy, r = radius(n) + 3;
      if (d <= r * r && d < bestDistance) { best = i; bestDistance = d; }
    }
    return best;
  }
  function zoom(factor, x, y) {
    var k = Math.max(1e-4, Math.min(view.k * factor, 200));
    view.tx = x - (x - view.tx) * k / view.k; view.ty = y - (y - view.ty) * k / view.k; view.k = k;
    redraw();
  }
  function local(event) { var box = canvas.getBoundingClientRect(); return [event.clientX - box.left, event.clientY - box.top]; }
  canvas.addEventListener("wheel", function (event) {
    event.preventDefault();
    var p = local(event); zoom(Math.exp(-event.deltaY * 0.0015), p[0], p[1]);
  }, { passive: false });
  canvas.addEventListener("mousedown", function (event) {
    var p = local(event); drag = { x: p[0], y: p[1], tx: view.tx, ty: view.ty, moved: false }; canvas.style.cursor = "grabbing";
  });
  window.addEventListener("mouseup", function (event) {
    if (drag && !drag.moved) {
      var p = local(event), i = nodeAt(p[0], p[1]);
      if (i >= 0) { state.picked = i; listComments(i); redraw(); }
    }
    drag = null; canvas.style.cursor = "grab";
  });
  canvas.addEventListener("mousemove", function (event) {
    var p = local(event);
    if (drag) {
      if (Math.abs(p[0] - drag.x) + Math.abs(p[1] - drag.y) > 3) { drag.moved = true; }
      view.tx = drag.tx + p[0] - drag.x; view.ty = drag.ty + p[1] - drag.y; card.hidden = true; redraw(); return;
    }
    var i = nodeAt(p[0], p[1]);
    if (i !== state.hover) { state.hover = i; redraw(); }
    showCard(i, p[0], p[1]);
  });
  canvas.addEventListener("mouseleave", function () { state.hover = -1; card.hidden = true; redraw(); });
  window.addEventListener("resize", function () { resize(); redraw(); });

  // For tests and scripts: where a commenter is drawn, in page pixels.
  window.discourseNetwork = {
    nodeCount: nodes.length, edgeCount: edges.length,
    screenPosition: function (name) {
      for (var i = 0; i < nodes.length; i++) {
        if (nodes[i].name === name) { return [sx(nodes[i]) + SIDE, sy(nodes[i]), radius(nodes[i])]; }
      }
      return null;
    },
    draw: draw
  };
  side.style.width = SIDE + "px";
  setUp(); resize(); fit(); draw();
})();
