(function () {
  "use strict";
  // Fills the side panel from the embedded report JSON. Builds DOM with textContent only.
  var dataEl = document.getElementById("factaudit-data");
  var body = document.getElementById("panel-body");
  var title = document.getElementById("panel-title");
  if (!dataEl || !body || !title) { return; }
  var art = JSON.parse(dataEl.textContent).article;
  var assertions = art.assertions || [];
  var citations = {};
  (art.citations || []).forEach(function (c) { citations[c.id] = c; });
  var claims = {};
  (art.claims || []).forEach(function (c) { (claims[c.assertion_id] = claims[c.assertion_id] || []).push(c); });
  var SPEC = { home_page: "home page", section: "section", article: "article", unknown: "unknown" };
  var active = [];

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  var chars = null;
  function textSlice(start, end) {
    // Offsets count code points (Python str), not UTF-16 units.
    if (chars === null) { chars = Array.from(art.text || ""); }
    return chars.slice(start, end).join("");
  }
  function pct(x) { return Math.round(x * 100) + "%"; }
  function holderLabel(h) {
    var label;
    if (h.kind === "author") { label = "the author"; }
    else if (h.kind === "agentless") { label = "agentless (no one asserts it)"; }
    else {
      label = (h.kind === "unnamed_group" ? "unnamed group: " : "named: ") + h.name;
      if (h.entity_type) { label += " (" + h.entity_type + ")"; }
    }
    if (h.resolved_from) { label += " [from \u201c" + h.resolved_from + "\u201d]"; }
    return label;
  }
  function credibility(c) {
    if (!c) { return "not audited"; }
    if (c.score === null || c.score === undefined) { return "unrated" + (c.label ? " (" + c.label + ")" : ""); }
    return c.score.toFixed(2) + (c.label ? " (" + c.label + ")" : "");
  }
  function row(dl, term, value) {
    dl.appendChild(el("dt", term));
    var dd = el("dd");
    if (value instanceof Node) { dd.appendChild(value); } else { dd.textContent = value; }
    dl.appendChild(dd);
  }
  function citationList(a) {
    if (!a.citation_ids || !a.citation_ids.length) {
      return a.attributed ? "no citation (attributed to a named holder)" : "not sourced";
    }
    var ul = el("ul");
    a.citation_ids.forEach(function (id) {
      var c = citations[id];
      if (!c) { ul.appendChild(el("li", id)); return; }
      var parts = [c.outlet || c.domain || c.id];
      if (c.url) { parts.push(c.url); }
      parts.push(SPEC[c.specificity] || c.specificity);
      parts.push("credibility " + credibility(c.credibility));
      if (!c.supports_claims) { parts.push("supports no claim"); }
      ul.appendChild(el("li", parts.join(" \u00b7 ")));
    });
    return ul;
  }
  function claimList(a) {
    var list = claims[a.id] || [];
    if (!list.length) { return null; }
    var wrap = el("div");
    list.forEach(function (c) {
      var p = el("p");
      p.appendChild(el("strong", c.id + " "));
      p.appendChild(document.createTextNode("\u201c" + c.text + "\u201d "));
      var v = c.verdict;
      var label = v ? v.label + " (" + pct(v.confidence) + ")" : "not checked";
      p.appendChild(el("span", label, "verdict verdict-" + (v ? v.label.toLowerCase().replace(/ /g, "-") : "none")));
      wrap.appendChild(p);
      if (v && v.note) { wrap.appendChild(el("p", v.note, "muted")); }
      if (v && v.evidence && v.evidence.length) {
        var ul = el("ul", null, "evidence");
        v.evidence.forEach(function (ev) {
          var li = el("li");
          li.appendChild(el("blockquote", ev.quote || ev.passage));
          var tag = ev.label === "nearest miss" ? " (nearest passage, not evidence)" : (ev.label ? " (" + ev.label + ")" : "");
          li.appendChild(el("p", "\u2014 " + ev.source + tag, "ev-source"));
          ul.appendChild(li);
        });
        wrap.appendChild(ul);
      }
    });
    return wrap;
  }
  function show(index) {
    var a = assertions[index];
    if (!a) { return; }
    active.forEach(function (m) { m.classList.remove("active"); m.setAttribute("aria-expanded", "false"); });
    active = Array.prototype.slice.call(document.querySelectorAll('mark[data-index="' + index + '"]'));
    active.forEach(function (m) { m.classList.add("active"); m.setAttribute("aria-expanded", "true"); });
    title.textContent = "Assertion " + a.id;
    while (body.firstChild) { body.removeChild(body.firstChild); }
    body.appendChild(el("blockquote", a.text));
    var dl = el("dl");
    if (a.content && a.content.end > a.content.start) {
      row(dl, "Proposition", textSlice(a.content.start, a.content.end));
    }
    row(dl, "Holder", holderLabel(a.holder));
    row(dl, "Reporting verb", a.reporting_verb || "\u2014");
    row(dl, "Hedges", a.hedges && a.hedges.length
      ? a.hedges.map(function (h) { return h.cue + " (" + h.kind + ")"; }).join(", ") : "none");
    row(dl, "Modality", a.modality);
    if (a.context) { row(dl, "Answers the question", a.context); }
    row(dl, "Characters", "[" + a.start + "\u2013" + a.end + ")" +
      (a.occurrences && a.occurrences.length ? ", repeated " + a.occurrences.length + "\u00d7" : ""));
    row(dl, "Sources", citationList(a));
    var cl = claimList(a);
    if (cl) { row(dl, "Claims", cl); }
    body.appendChild(dl);
  }
  function markOf(target) {
    return target && target.closest ? target.closest("mark[data-index]") : null;
  }
  document.addEventListener("click", function (e) {
    var m = markOf(e.target);
    if (m) { show(Number(m.getAttribute("data-index"))); return; }
    var go = e.target.closest ? e.target.closest("a[data-goto]") : null;
    if (go) {
      var target = document.getElementById("hl-" + go.getAttribute("data-goto"));
      if (target) { e.preventDefault(); target.focus(); target.scrollIntoView({ block: "center" }); }
    }
  });
  document.addEventListener("focusin", function (e) {
    var m = markOf(e.target);
    if (m) { show(Number(m.getAttribute("data-index"))); }
  });
  document.addEventListener("keydown", function (e) {
    var m = markOf(e.target);
    if (m && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); show(Number(m.getAttribute("data-index"))); }
  });
  Array.prototype.forEach.call(document.querySelectorAll("mark[data-index]"), function (m) {
    m.setAttribute("aria-expanded", "false");
  });
})();
