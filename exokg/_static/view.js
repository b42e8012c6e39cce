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
    if (d.kind === "context") {
      card.append(el("h2", labelOf(from) + " studied in " + labelOf(to)), rows([["statements", d.statements]]));
      return card;
    }
    const relation = d.predicate_label ? d.predicate_label + " (" + d.predicate + ")" : d.predicate;
    const evidence = d.evidence_label ? d.evidence_label + " (" + d.evidence + ")" : d.evidence;
    card.append(el("h2", labelOf(from) + " → " + labelOf(to)), rows([
      ["statement", d.statement],
      ["relation", relation],
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

  const nodes = new vis.DataSet(nodeRecords.map((n) => Object.assign({}, n, { title: nodeCard(n.data) })));
  const edges = new vis.DataSet(edgeRecords.map((e) => Object.assign({}, e, { title: edgeCard(e.data, e.from, e.to) })));

  // filters on findings: polarity, scope and source; hierarchy and context links always stay
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
  const edgeView = new vis.DataView(edges, { filter: visible });
  form.addEventListener("change", (event) => {
    const input = event.target;
    if (input.dataset.facet) {
      if (input.checked) shown[input.dataset.facet].add(input.value);
      else shown[input.dataset.facet].delete(input.value);
    } else if (input.id === "source-filter") {
      shown.source = input.value;
    }
    edgeView.refresh();
    report();
  });

  // legend, from the same styles that drew the graph
  const legend = document.getElementById("legend");
  for (const [kind, style] of Object.entries(page.legend.nodes)) {
    const key = el("div", undefined, "key");
    const swatch = el("span", undefined, "swatch");
    swatch.style.background = style.color;
    swatch.style.borderRadius = style.shape === "dot" ? "50%" : "2px";
    swatch.style.width = "0.9em";
    key.append(swatch, el("span", say("kind", kind) + " (" + style.shape + "; larger = more statements)"));
    legend.append(key);
  }
  const EDGE_WORDS = { subclass: "is a (vesicle hierarchy)", context: "studied in (context)" };
  for (const [kind, style] of Object.entries(page.legend.edges)) {
    const key = el("div", undefined, "key");
    const swatch = el("span", undefined, "swatch");
    const dash = style.dashes ? "dashed" : "solid";
    swatch.style.borderTop = (kind === "subclass" || kind === "context" ? 1 : 3) + "px " + (style.dashes && style.dashes[0] < 3 ? "dotted" : dash) + " " + style.color;
    swatch.style.height = "0";
    key.append(swatch, el("span", EDGE_WORDS[kind] || say("polarity", kind)));
    legend.append(key);
  }
  legend.append(el("p", "Thick links: experimental evidence; thin: other evidence.", "hint"));

  if (page.note) {
    const note = document.getElementById("note");
    note.textContent = page.note;
    note.hidden = false;
  }

  const container = document.getElementById("graph");
  const network = new vis.Network(container, { nodes: nodes, edges: edgeView }, options);
  const status = document.getElementById("status");
  const details = document.getElementById("details");
  const view = { network: network, nodes: nodes, edges: edges, frozenAt: null };
  window.exokgView = view;

  function report() {
    const arranged = view.frozenAt === null ? "arranging the graph…" : "arranged";
    status.textContent = network.body.nodeIndices.length + " nodes, " + network.body.edgeIndices.length + " links shown; " + arranged;
  }
  function freeze() {
    if (view.frozenAt !== null) return;
    network.setOptions({ physics: { enabled: false } });
    view.frozenAt = performance.now();
    document.body.dataset.state = "frozen";
    report();
  }
  network.once("stabilizationIterationsDone", freeze);
  network.once("stabilized", freeze);
  if (!nodeRecords.length) freeze();
  report();

  function showDetails(card) {
    details.replaceChildren(card);
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
