// exokg graph view. Every text that comes from the data is set with textContent (never innerHTML), and
// tooltips are DOM elements, because vis-network renders a string title as HTML.
"use strict";
(function () {
  const read = (id) => JSON.parse(document.getElementById(id).textContent);
  const nodeRecords = read("exokg-nodes");
  const edgeRecords = read("exokg-edges");
  const options = read("exokg-options");
  const page = read("exokg-page");

  const WORDS = {
    kind: { vesicle: "vesicle or particle class", entity: "other term", context: "context (cell line, organism)" },
    polarity: { positive: "positive finding", negative: "negative finding (no effect, not observed)", caveat: "caveat (limits how far findings generalise)" },
    effect: {
      promotes: "promotes (arrowhead)",
      inhibits: "inhibits (bar head ⊣)",
      affects: "affects, direction not known (open head)",
      "no effect": "no effect found (dashed, round head)",
      caveat: "caveat: limits how far a finding generalises (dotted)",
      positive: "other finding (has part, derives from…)",
      negative: "other finding, not observed (dashed)",
      contrast: "contrasting findings: holds in one model, not the other",
      subclass: "is a (vesicle hierarchy)",
      context: "studied in (context)",
      reported: "findings on it, reported by their authors as the other term",
    },
    verification: { V1: "V1: checked against the source text", V2: "V2: checked against a secondary account", NV: "NV: not verified" },
    scope: { review: "stated by the review", reliedOn: "from a paper the review relies on", context: "background", later: "later work" },
  };
  const say = (table, value) => (WORDS[table] && WORDS[table][value]) || value;

  function el(tag, text, className) {
    const element = document.createElement(tag);
    if (text !== undefined && text !== null) element.textContent = String(text);
    if (className) element.className = className;
    return element;
  }

  function rows(pairs) {
    const list = el("dl");
    for (const [name, value] of pairs) {
      if (value === undefined || value === null || value === "") continue;
      list.append(el("dt", name), el("dd", value));
    }
    return list;
  }

  const labels = new Map(nodeRecords.map((n) => [n.id, n.data.label]));
  const labelOf = (id) => labels.get(id) || id;

  function sourceLink(d) {
    const href = d.doi ? "https://doi.org/" + encodeURI(d.doi) : d.source_iri;
    if (!href || !/^https:\/\//.test(href)) return null;
    const link = el("a", d.doi ? "doi:" + d.doi : href);
    link.href = href;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    return link;
  }

  function nodeCard(d) {
    const card = el("div", undefined, "card");
    card.append(el("h2", d.label), rows([
      ["CURIE", d.curie],
      ["kind", say("kind", d.kind)],
      ["definition", d.definition],
      ["statements", d.statements],
    ]));
    return card;
  }

  function edgeCard(d, from, to) {
    const card = el("div", undefined, "card");
    if (d.kind === "subclass") {
      card.append(el("h2", labelOf(from) + " is a " + labelOf(to)), rows([
        ["link", d.asserted ? "stated in the ontology" : "inferred by the reasoner"],
      ]));
      return card;
    }
    if (d.kind === "contrast") {
      card.append(el("h2", labelOf(from) + " ↔ " + labelOf(to)), rows([
        ["contrasting pairs", d.count],
        ["findings", d.findings],
      ]), el("p", "The same kind of experiment gave different results in these two models: read both findings before generalising.", "hint"));
      return card;
    }
    if (d.kind === "reported") {
      card.append(el("h2", labelOf(from) + " reported as " + labelOf(to)), rows([
        ["findings", d.count],
        ["statements", d.findings],
      ]), el("p", "These findings sit on the class the evidence supports (MISEV2023); their authors named the vesicles with the other term.", "hint"));
      return card;
    }
    if (d.kind === "context") {
      card.append(el("h2", labelOf(from) + " studied in " + labelOf(to)), rows([["statements", d.statements]]));
      return card;
    }
    const relation = d.predicate_label ? d.predicate_label + " (" + d.predicate + ")" : d.predicate;
    const evidence = d.evidence_label ? d.evidence_label + " (" + d.evidence + ")" : d.evidence;
    card.append(el("h2", labelOf(from) + " → " + labelOf(to)), rows([
      ["statement", d.statement],
      ["relation", relation],
      ["effect", d.effect],
      ["polarity", say("polarity", d.polarity)],
      ["finding", d.paraphrase],
      ["evidence", evidence],
      ["verification", say("verification", d.verification)],
      ["scope", say("scope", d.scope)],
      ["organism", d.organism],
      ["cell line", d.cell_line],
      ["cell type", d.cell_type],
      ["disease", d.disease],
      ["system", d.system],
      ["perturbation", d.perturbation],
      ["perturbed gene", d.perturbed_gene],
      ["method", d.method],
      ["sample", d.sample],
      ["qualifies", d.qualifies],
      ["contrasts with", d.contrasts_with],
      ["curator note", d.note],
      ["source", d.source_label],
      ["title", d.source_title],
    ]));
    const link = sourceLink(d);
    if (link) {
      const line = el("p");
      line.append(link);
      card.append(line);
    }
    return card;
  }

  // hover tips are short: for a finding, its sentence; the full card opens on click
  function nodeTip(d) {
    const tip = el("div");
    tip.append(el("strong", d.label), el("div", d.curie));
    if (d.definition) tip.append(el("div", d.definition));
    return tip;
  }
  function edgeTip(d, from, to) {
    if (d.kind !== "finding") return edgeCard(d, from, to);
    const tip = el("div");
    const effect = d.effect ? " (" + d.effect + ")" : "";
    tip.append(el("strong", labelOf(from) + " → " + labelOf(to) + effect));
    if (d.paraphrase) tip.append(el("div", "“" + d.paraphrase + "”"));
    if (d.source_label) tip.append(el("div", d.source_label, "hint"));
    return tip;
  }

  const nodes = new vis.DataSet(nodeRecords.map((n) => Object.assign({}, n, { title: nodeTip(n.data) })));
  const edges = new vis.DataSet(edgeRecords.map((e) => Object.assign({}, e, { title: edgeTip(e.data, e.from, e.to) })));

  // filters on findings: polarity, scope and source; hierarchy, context and contrast links stay
  const shown = { polarity: new Set(), scope: new Set(), source: "" };
  const findings = edgeRecords.filter((e) => e.data.kind === "finding");
  const form = document.getElementById("filters");
  for (const facet of ["polarity", "scope"]) {
    const values = [...new Set(findings.map((e) => e.data[facet] || "unknown"))].sort();
    if (!values.length) continue;
    const group = el("fieldset");
    group.append(el("legend", facet));
    for (const value of values) {
      shown[facet].add(value);
      const box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.dataset.facet = facet;
      box.value = value;
      const label = el("label");
      label.append(box, " " + say(facet, value));
      group.append(label);
    }
    form.append(group);
  }
  const sources = new Map(findings.filter((e) => e.data.source_iri).map((e) => [e.data.source_iri, e.data.source_label || e.data.source_iri]));
  if (sources.size) {
    const group = el("fieldset");
    group.append(el("legend", "source"));
    const select = el("select");
    select.id = "source-filter";
    select.append(new Option("all sources", ""));
    for (const [iri, label] of [...sources].sort((a, b) => a[1].localeCompare(b[1]))) select.append(new Option(label, iri));
    group.append(select);
    form.append(group);
  }
  const visible = (e) =>
    e.data.kind !== "finding" ||
    (shown.polarity.has(e.data.polarity || "unknown") &&
      shown.scope.has(e.data.scope || "unknown") &&
      (!shown.source || e.data.source_iri === shown.source));

  // Filtering flips `hidden` on the links and nodes that change, then vis-network redraws once; a
  // node whose every link is hidden is hidden too.
  const linksOf = new Map(nodeRecords.map((n) => [n.id, 0]));
  for (const e of edgeRecords) {
    linksOf.set(e.from, (linksOf.get(e.from) || 0) + 1);
    linksOf.set(e.to, (linksOf.get(e.to) || 0) + 1);
  }
  const edgeHidden = new Map(edgeRecords.map((e) => [e.id, false]));
  const nodeHidden = new Map(nodeRecords.map((n) => [n.id, false]));
  function applyFilters() {
    const started = performance.now();
    const open = new Map();
    const edgeChanges = [];
    for (const e of edgeRecords) {
      const hide = !visible(e);
      if (!hide) {
        open.set(e.from, (open.get(e.from) || 0) + 1);
        open.set(e.to, (open.get(e.to) || 0) + 1);
      }
      if (hide !== edgeHidden.get(e.id)) {
        edgeHidden.set(e.id, hide);
        edgeChanges.push({ id: e.id, hidden: hide });
      }
    }
    const nodeChanges = [];
    for (const n of nodeRecords) {
      const hide = linksOf.get(n.id) > 0 && !open.get(n.id);
      if (hide !== nodeHidden.get(n.id)) {
        nodeHidden.set(n.id, hide);
        nodeChanges.push({ id: n.id, hidden: hide });
      }
    }
    hideTip();
    if (typeof network._updateVisibleIndices === "function") {
      // vis-network 9 draws what body.nodeIndices / edgeIndices list, rebuilt from each item's
      // `hidden` option: flipping the options and rebuilding once costs milliseconds, where a
      // DataSet update re-parses every changed item's options (seconds at 5,000 links)
      for (const c of edgeChanges) network.body.edges[c.id].options.hidden = c.hidden;
      for (const c of nodeChanges) network.body.nodes[c.id].options.hidden = c.hidden;
      network._updateVisibleIndices();
      network.redraw();
    } else {
      if (edgeChanges.length) edges.update(edgeChanges);
      if (nodeChanges.length) nodes.update(nodeChanges);
    }
    view.filterMs = performance.now() - started;
    report();
  }
  form.addEventListener("change", (event) => {
    const input = event.target;
    if (input.dataset.facet) {
      if (input.checked) shown[input.dataset.facet].add(input.value);
      else shown[input.dataset.facet].delete(input.value);
    } else if (input.id === "source-filter") {
      shown.source = input.value;
    }
    applyFilters();
  });

  // legend: only what this page draws, from the same styles that drew it
  const HEADS = { arrow: "▶", bar: "┤", vee: "〉", circle: "●", diamond: "◆", triangle: "▷", "": "" };
  const legend = document.getElementById("legend");
  for (const [kind, style] of Object.entries(page.legend.nodes)) {
    const key = el("div", undefined, "key");
    const swatch = el("span", undefined, "swatch");
    swatch.style.background = style.color;
    swatch.style.border = "2px solid " + style.border;
    swatch.style.borderRadius = style.shape === "ellipse" ? "50%" : "2px";
    swatch.style.width = "1.6em";
    key.append(swatch, el("span", say("kind", kind)));
    legend.append(key);
  }
  for (const [kind, style] of Object.entries(page.legend.edges)) {
    const key = el("div", undefined, "key");
    key.dataset.legend = kind;
    const swatch = el("span", undefined, "swatch line");
    const dash = style.dashes ? (style.dashes[0] < 3 ? "dotted" : "dashed") : "solid";
    swatch.style.borderTop = "3px " + dash + " " + style.color;
    const head = el("span", HEADS[style.head] || "", "head");
    head.style.color = style.color;
    swatch.append(head);
    key.append(swatch, el("span", say("effect", kind)));
    legend.append(key);
  }
  if (findings.length) legend.append(el("p", "Thick links: experimental evidence; thin: other evidence.", "hint"));

  if (page.note) {
    const note = document.getElementById("note");
    note.textContent = page.note;
    note.hidden = false;
  }

  const container = document.getElementById("graph");
  const network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  const status = document.getElementById("status");
  const details = document.getElementById("details");
  const aside = document.querySelector("aside");
  const view = { network: network, nodes: nodes, edges: edges, frozenAt: null, filterMs: null, opening: null };
  window.exokgView = view;
  view.cardOf = (id) => {
    const e = edges.get(id);
    return edgeCard(e.data, e.from, e.to);
  };

  function hideTip() {
    const handler = network.interactionHandler;
    if (handler && handler.popup) handler.popup.hide();
    if (handler) handler.popupObj = undefined;
    for (const tip of document.querySelectorAll("div.vis-tooltip")) tip.style.visibility = "hidden";
  }
  container.addEventListener("mouseleave", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);

  view.shownCounts = () => [
    [...nodeHidden.values()].filter((h) => !h).length,
    [...edgeHidden.values()].filter((h) => !h).length,
  ];
  function report() {
    const arranged = view.frozenAt === null ? "arranging the graph…" : "arranged";
    const [n, e] = view.shownCounts();
    status.textContent = n + " nodes, " + e + " links shown; " + arranged;
  }

  // After the layout, a few hundred rounds of a sweep along x that moves apart what still overlaps:
  // node boxes (their labels are inside) and, on pages small enough to label their links, the link
  // labels, which vis-network centres on the middle of each link. A label that meets another label
  // or a node moves with its link (its ends that the other does not share); a link too short for its
  // label and arrowhead is lengthened. Then the page opens at a zoom where labels are at least
  // page.min_label_px tall.
  const HEAD = 28;  // room each link keeps, beyond its label, for its arrowhead and a visible stroke
  function separate() {
    const ids = nodeRecords.map((n) => n.id).filter((id) => !nodeHidden.get(id));
    if (ids.length < 2 || ids.length > 2000) return;
    const body = network.body;
    const at = new Map(ids.map((id) => [id, body.nodes[id]]));  // vis-network's own node objects
    const half = new Map();
    for (const id of ids) {
      const box = network.getBoundingBox(id);
      half.set(id, [(box.right - box.left) / 2 + 6, (box.bottom - box.top) / 2 + 6]);
    }
    const links = [];
    const measure = document.createElement("canvas").getContext("2d");
    for (const id of body.edgeIndices) {
      const e = body.edges[id];
      if (e.options.hidden || !at.has(e.fromId) || !at.has(e.toId) || e.fromId === e.toId) continue;
      let size = [0, 0];
      if (e.options.label) {
        const font = e.options.font;
        measure.font = font.size + "px " + font.face;
        size = [measure.measureText(e.options.label).width / 2 + 4, font.size / 2 + 3];
      }
      links.push({ edge: e, from: e.fromId, to: e.toId, half: size });
    }
    const labelled = ids.length <= 500 ? links.filter((l) => l.half[0] > 0) : [];
    // move a label by moving the ends of its link that `fixed` does not hold: both ends by the whole
    // step, or its one free end by twice the step (the middle moves half as far as one end)
    function shift(link, dx, dy, fixed) {
      const free = [link.from, link.to].filter((id) => !fixed.has(id));
      const k = free.length === 1 ? 2 : 1;
      for (const id of free) { at.get(id).x += k * dx; at.get(id).y += k * dy; }
      return free.length > 0;
    }
    // how far from a node's centre its box reaches along the unit direction (ux, uy)
    const reach = (id, ux, uy) => {
      const [hx, hy] = half.get(id);
      return Math.min(Math.abs(ux) > 1e-9 ? hx / Math.abs(ux) : Infinity, Math.abs(uy) > 1e-9 ? hy / Math.abs(uy) : Infinity);
    };
    for (let round = 0; round < 300; round++) {
      let moved = false;
      for (const link of links) {
        const a = at.get(link.from), b = at.get(link.to);
        let dx = b.x - a.x, dy = b.y - a.y;
        let length = Math.hypot(dx, dy);
        if (length < 1e-6) { dx = 1; dy = 0; length = 1; b.x += 1; }
        const ux = dx / length, uy = dy / length;
        const gap = length - reach(link.from, ux, uy) - reach(link.to, ux, uy);
        const need = HEAD + 2 * Math.abs(link.half[0] * ux) + 2 * Math.abs(link.half[1] * uy);
        if (gap >= need) continue;
        const push = (need - gap) / 2 + 0.5;
        a.x -= push * ux; a.y -= push * uy; b.x += push * ux; b.y += push * uy;
        moved = true;
      }
      const boxes = ids.map((id) => ({ node: id, x: at.get(id).x, y: at.get(id).y, h: half.get(id) }));
      for (const link of labelled) {
        const p = link.edge.edgeType.getPoint(0.5);
        boxes.push({ link: link, x: p.x, y: p.y, h: link.half });
      }
      boxes.sort((p, q) => p.x - p.h[0] - (q.x - q.h[0]));
      for (let i = 0; i < boxes.length; i++) {
        const p = boxes[i];
        for (let j = i + 1; j < boxes.length; j++) {
          const q = boxes[j];
          if (q.x - q.h[0] >= p.x + p.h[0]) break;
          const ox = p.h[0] + q.h[0] - Math.abs(p.x - q.x);
          const oy = p.h[1] + q.h[1] - Math.abs(p.y - q.y);
          if (ox <= 0 || oy <= 0) continue;
          // the step that parts them, along the axis where they overlap least; p moves -step, q +step
          const sx = ox < oy ? (ox / 2 + 0.5) * (p.x <= q.x ? 1 : -1) : 0;
          const sy = ox < oy ? 0 : (oy / 2 + 0.5) * (p.y <= q.y ? 1 : -1);
          if (p.node && q.node) {
            at.get(p.node).x -= sx; at.get(p.node).y -= sy;
            at.get(q.node).x += sx; at.get(q.node).y += sy;
            moved = true;
            continue;
          }
          const ends = (box) => new Set(box.node ? [box.node] : [box.link.from, box.link.to]);
          const [pe, qe] = [ends(p), ends(q)];
          // a node on its own link's label: the length rule above gives them room
          if ((p.node && qe.has(p.node)) || (q.node && pe.has(q.node))) continue;
          if (p.node) { at.get(p.node).x -= sx; at.get(p.node).y -= sy; moved = true; }
          else moved = shift(p.link, -sx, -sy, qe) || moved;
          if (q.node) { at.get(q.node).x += sx; at.get(q.node).y += sy; moved = true; }
          else moved = shift(q.link, sx, sy, pe) || moved;
        }
      }
      if (!moved) break;
    }
    // one update of the data set, so one redraw (moveNode would redraw once per node)
    nodes.update(ids.map((id) => ({ id: id, x: at.get(id).x, y: at.get(id).y })));
  }
  function opening() {
    network.fit({ animation: false });
    const least = page.min_label_px / page.font;
    if (network.getScale() < least) {  // too small to read: zoom in on the focus, or the middle
      const at = page.centre !== null ? network.getPositions([page.centre])[page.centre] : network.getViewPosition();
      network.moveTo({ position: at, scale: least, animation: false });
    }
    view.opening = { position: network.getViewPosition(), scale: network.getScale() };
  }
  function freeze() {
    if (view.frozenAt !== null) return;
    network.setOptions({ physics: { enabled: false } });
    separate();
    opening();
    view.frozenAt = performance.now();
    document.body.dataset.state = "frozen";
    report();
  }
  network.once("stabilizationIterationsDone", freeze);
  network.once("stabilized", freeze);
  if (!nodeRecords.length) freeze();
  report();

  document.getElementById("fit").addEventListener("click", () => network.fit({ animation: { duration: 300 } }));
  document.getElementById("reset").addEventListener("click", () => {
    if (view.opening) network.moveTo({ position: view.opening.position, scale: view.opening.scale, animation: { duration: 300 } });
  });

  function showDetails(card) {
    details.replaceChildren(card);
    aside.scrollTop = 0;
  }
  network.on("click", (params) => {
    if (params.nodes.length) showDetails(nodeCard(nodes.get(params.nodes[0]).data));
    else if (params.edges.length) {
      const e = edges.get(params.edges[0]);
      showDetails(edgeCard(e.data, e.from, e.to));
    }
  });

  // search by label or CURIE
  const terms = document.getElementById("terms");
  for (const n of nodeRecords) terms.append(new Option(n.data.curie, n.data.label));
  const search = document.getElementById("search");
  function find() {
    const wanted = search.value.trim().toLowerCase();
    if (!wanted) return;
    const matches = (n) => n.data.label.toLowerCase() === wanted || n.data.curie.toLowerCase() === wanted;
    const hit = nodeRecords.find(matches) || nodeRecords.find((n) => n.data.label.toLowerCase().includes(wanted));
    if (!hit) {
      showDetails(el("p", "No node matches “" + search.value + "”.", "hint"));
      return;
    }
    network.selectNodes([hit.id]);
    network.focus(hit.id, { scale: 1.2, animation: { duration: 400 } });
    showDetails(nodeCard(hit.data));
  }
  search.addEventListener("change", find);
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") find();
  });
})();
