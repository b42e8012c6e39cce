// exokg site: search (MiniSearch over the index exokg wrote, window.EXOKG_SEARCH) and the tables'
// sorting, filters and CSV download. No request leaves the page; every text is set with textContent.
"use strict";
(function () {
  const root = document.body.dataset.root || "";

  // --- search --------------------------------------------------------------------------------
  const box = document.getElementById("search-box");
  const list = document.getElementById("search-results");
  const status = document.getElementById("search-status");
  let engine = null;

  function searchEngine() {
    if (engine === null) {
      engine = new MiniSearch({
        fields: ["title", "curie", "names"],
        storeFields: ["title", "curie", "kind", "names"],
        searchOptions: { boost: { title: 3, curie: 3 }, prefix: true, fuzzy: 0.2, combineWith: "AND" },
      });
      engine.addAll(window.EXOKG_SEARCH || []);
    }
    return engine;
  }

  function matchedName(hit) {
    // the synonym, symbol or xref that matched, when it was not the label
    const names = (hit.names || "").split(" | ");
    const terms = hit.terms.map((t) => t.toLowerCase());
    const title = hit.title.toLowerCase();
    return names.find((n) => n.toLowerCase() !== title && terms.some((t) => n.toLowerCase().includes(t))) || "";
  }

  function show(query) {
    list.replaceChildren();
    if (!query.trim()) {
      list.hidden = true;
      status.textContent = "";
      return;
    }
    let hits = searchEngine().search(query);
    if (hits.length === 0) hits = searchEngine().search(query, { combineWith: "OR" });
    hits = hits.slice(0, 12);
    for (const hit of hits) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = root + hit.id;
      link.textContent = hit.title;
      const kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = " " + (hit.curie ? hit.curie + " · " : "") + hit.kind;
      link.append(kind);
      const matched = matchedName(hit);
      if (matched && hit.kind !== "question") {
        const also = document.createElement("div");
        also.className = "matched";
        also.textContent = "also called " + matched;
        link.append(also);
      }
      item.append(link);
      list.append(item);
    }
    list.hidden = hits.length === 0;
    status.textContent = hits.length ? hits.length + " results" : "no term found";
  }

  if (box && list) {
    box.addEventListener("input", () => show(box.value));
    box.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" && !list.hidden) {
        event.preventDefault();
        list.querySelector("a").focus();
      } else if (event.key === "Escape") {
        list.hidden = true;
      }
    });
    list.addEventListener("keydown", (event) => {
      const links = Array.from(list.querySelectorAll("a"));
      const at = links.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && at < links.length - 1) {
        event.preventDefault();
        links[at + 1].focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        (at > 0 ? links[at - 1] : box).focus();
      } else if (event.key === "Escape") {
        list.hidden = true;
        box.focus();
      }
    });
    box.form.addEventListener("submit", (event) => {
      const first = list.querySelector("a");
      if (first) {
        event.preventDefault();
        window.location.href = first.href;
      }
    });
    const asked = new URLSearchParams(window.location.search).get("q");
    if (asked) {
      box.value = asked;
      show(asked);
    }
  }

  // --- tables --------------------------------------------------------------------------------
  function cellValue(cell) {
    return cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim();
  }

  function setUp(table) {
    const headers = Array.from(table.tHead.rows[0].cells);
    const body = table.tBodies[0];
    const rows = Array.from(body.rows);
    const toolbar = document.createElement("div");
    toolbar.className = "toolbar";
    const filters = [];
    headers.forEach((th, column) => {
      // sorting: a button in each header, announced with aria-sort
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.replaceChildren(button);
      button.addEventListener("click", () => sortBy(column, th));
      if (th.dataset.filter) {
        const values = Array.from(new Set(rows.map((r) => cellValue(r.cells[column])))).sort();
        const label = document.createElement("label");
        label.textContent = button.textContent + " ";
        const select = document.createElement("select");
        select.dataset.filter = th.dataset.filter;
        const all = new Option("all", "");
        select.append(all);
        for (const value of values) select.append(new Option(value || "(none)", value));
        select.addEventListener("change", apply);
        label.append(select);
        toolbar.append(label);
        filters.push([column, select]);
      }
    });
    const download = document.createElement("button");
    download.type = "button";
    download.textContent = "Download CSV";
    download.addEventListener("click", () => saveCsv(table, headers));
    const shown = document.createElement("output");
    toolbar.append(download, shown);
    table.closest(".table-wrap").before(toolbar);

    function apply() {
      let count = 0;
      for (const row of rows) {
        const keep = filters.every(([column, select]) => !select.value || cellValue(row.cells[column]) === select.value);
        row.hidden = !keep;
        if (keep) count += 1;
      }
      shown.textContent = count + " of " + rows.length + " rows shown";
    }

    function sortBy(column, th) {
      const ascending = th.getAttribute("aria-sort") !== "ascending";
      headers.forEach((h) => h.removeAttribute("aria-sort"));
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const numeric = th.dataset.sort === "number";
      const key = (row) => cellValue(row.cells[column]);
      rows.sort((a, b) => {
        const x = key(a), y = key(b);
        let order;
        if (numeric) order = (parseFloat(x) || 0) - (parseFloat(y) || 0);
        else order = x.localeCompare(y, undefined, { numeric: true, sensitivity: "base" });
        return ascending ? order : -order;
      });
      body.append(...rows);
    }
    apply();
  }

  function csvField(text) {
    return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function saveCsv(table, headers) {
    const lines = [headers.map((h) => csvField(h.textContent.trim())).join(",")];
    for (const row of table.tBodies[0].rows) {
      if (row.hidden) continue;
      lines.push(Array.from(row.cells).map((c) => csvField(c.textContent.trim().replace(/\s+/g, " "))).join(","));
    }
    const blob = new Blob([lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = (table.dataset.name || "table") + ".csv";
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  }

  // the query page of `exokg serve --site` needs the endpoint's full URL, known only here
  if (window.location.protocol.startsWith("http")) {
    for (const link of document.querySelectorAll("a[data-endpoint]")) {
      const url = new URL(link.href);
      url.searchParams.set("endpoint", window.location.origin + "/query");
      link.href = url.toString();
    }
  }

  document.querySelectorAll("table.data").forEach(setUp);
  document.body.dataset.ready = "true";
})();
