(function () {
  "use strict";
  // The audit page's side panel: built from the embedded report and review JSON with textContent
  // only (article text is never parsed as HTML). Works with mouse, keyboard and screen readers.
  var dataEl = document.getElementById("factaudit-data");
  var reviewEl = document.getElementById("factaudit-reviews");
  var body = document.getElementById("panel-body");
  var title = document.getElementById("panel-title");
  var panel = document.getElementById("panel");
  if (!dataEl || !body || !title) { return; }
  var art = JSON.parse(dataEl.textContent).article;
  var reviews = reviewEl ? JSON.parse(reviewEl.textContent) : {};
  var assertions = art.assertions || [];
  var citations = {};
  (art.citations || []).forEach(function (c) { citations[c.id] = c; });
  var claims = {};
  (art.claims || []).forEach(function (c) { (claims[c.assertion_id] = claims[c.assertion_id] || []).push(c); });
  var SPEC = { home_page: "home page only", section: "section page", article: "specific article", unknown: "unknown" };
  var VERDICT = {
    "SUPPORTED": ["supported", "\u2713"], "REFUTED": ["refuted", "\u2717"],
    "NOT ENOUGH EVIDENCE": ["nee", "\u2026"], "CONFLICTING": ["conflicting", "\u21c6"]
  };
  var active = [];

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  var chars = null;
  function textSlice(start, end) {
    if (chars === null) { chars = Array.from(art.text || ""); }  // offsets count code points
    return chars.slice(start, end).join("");
  }
  function pct(x) { return Math.round(x * 100) + "%"; }
  function badge(label, extra) {
    var v = VERDICT[label] || ["none", "\u25cb"];
    return el("span", v[1] + " " + (label || "NOT CHECKED") + (extra || ""), "vbadge v-" + v[0]);
  }
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
    if (!c) { return "not rated"; }
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
      return a.attributed ? "no citation (attributed to a named holder)" : "no citation tied to it";
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
  function claimBlock(c) {
    var wrap = el("div", null, "panel-claim");
    var h = el("h4");
    h.appendChild(el("span", c.id + " "));
    h.appendChild(document.createTextNode("\u201c" + c.text + "\u201d"));
    wrap.appendChild(h);
    var dl = el("dl");
    row(dl, "Check-worthiness", c.checkworthiness === null || c.checkworthiness === undefined
      ? "not scored" : c.checkworthiness.toFixed(2) + (c.check_worthy === false ? " (below threshold)" : c.check_worthy ? " (check-worthy)" : ""));
    var v = c.verdict;
    row(dl, "Machine verdict", v ? badge(v.label, " \u00b7 confidence " + pct(v.confidence)) : badge(null));
    var r = reviews[c.id];
    if (r) {
      var rv = el("span");
      rv.appendChild(badge(r.effective));
      rv.appendChild(document.createTextNode(" by " + r.reviewer + ", " + r.reviewed_at + (r.approved ? " \u00b7 \u2714 approved" : " \u00b7 not approved")));
      row(dl, "Reviewer", rv);
      if (r.note) { row(dl, "Reviewer\u2019s note", r.note); }
    } else {
      row(dl, "Reviewer", "not reviewed yet");
    }
    if (v && v.note) { row(dl, "Verifier note", v.note); }
    if (v && v.evidence && v.evidence.length) {
      var ul = el("ul", null, "evidence");
      v.evidence.forEach(function (ev) {
        var li = el("li");
        li.appendChild(el("blockquote", ev.quote || ev.passage));
        var src = el("p", "\u2014 " + ev.source + (ev.date ? ", as of " + ev.date : "") +
          (ev.label ? " (" + ev.label + ")" : "") +
          (ev.score !== null && ev.score !== undefined ? ", score " + ev.score.toFixed(2) : ""), "ev-source");
        if (ev.url && /^https?:\/\//i.test(ev.url)) {
          var a = el("a", ev.url);
          a.setAttribute("href", ev.url);
          a.setAttribute("rel", "noopener noreferrer nofollow");
          src.appendChild(document.createTextNode(" "));
          src.appendChild(a);
        }
        li.appendChild(src);
        if (ev.rule) { li.appendChild(el("p", "rule: " + ev.rule, "ev-source")); }
        ul.appendChild(li);
      });
      row(dl, "Evidence", ul);
    } else if (v) {
      row(dl, "Evidence", "none quoted");
    }
    wrap.appendChild(dl);
    var form = document.getElementById("review-" + c.id);
    var target = form ? "#review-" + c.id : "#claim-" + c.id;
    var link = el("a", form ? "Review " + c.id : "Show " + c.id + " in the claims list");
    link.setAttribute("href", target);
    link.setAttribute("data-review", c.id);
    link.className = "review-link";
    wrap.appendChild(link);
    return wrap;
  }
  function show(index, focusPanel) {
    var a = assertions[index];
    if (!a) { return; }
    active.forEach(function (m) { m.classList.remove("active"); m.setAttribute("aria-expanded", "false"); });
    active = Array.prototype.slice.call(document.querySelectorAll('mark[data-index="' + index + '"]'));
    active.forEach(function (m) { m.classList.add("active"); m.setAttribute("aria-expanded", "true"); });
    title.textContent = "Statement " + a.id;
    while (body.firstChild) { body.removeChild(body.firstChild); }
    body.appendChild(el("blockquote", a.text));
    var dl = el("dl");
    if (a.content && a.content.end > a.content.start) {
      row(dl, "Proposition", textSlice(a.content.start, a.content.end));
    }
    row(dl, "Holder", holderLabel(a.holder));
    row(dl, "Attributed", a.attributed ? "yes" : "no");
    row(dl, "Reporting verb", a.reporting_verb || "\u2014");
    row(dl, "Hedges", a.hedges && a.hedges.length
      ? a.hedges.map(function (h) { return h.cue + " (" + h.kind + ")"; }).join(", ") : "none");
    row(dl, "Modality", a.modality);
    if (a.context) { row(dl, "Answers the question", a.context); }
    row(dl, "Cited sources", citationList(a));
    body.appendChild(dl);
    var list = claims[a.id] || [];
    if (list.length) {
      body.appendChild(el("h4", list.length === 1 ? "Claim" : list.length + " claims", "panel-sub"));
      list.forEach(function (c) { body.appendChild(claimBlock(c)); });
    } else {
      body.appendChild(el("p", "No check-worthy claim was made from this statement.", "muted"));
    }
    if (focusPanel && panel) { panel.focus({ preventScroll: true }); }
  }
  function indexOf(target) {
    var m = target && target.closest ? target.closest("mark[data-index], .vbadges[data-index]") : null;
    return m ? Number(m.getAttribute("data-index")) : null;
  }
  document.addEventListener("click", function (e) {
    var i = indexOf(e.target);
    if (i !== null) { show(i, false); return; }
    var go = e.target.closest ? e.target.closest("a[data-goto]") : null;
    if (go) {
      var target = document.getElementById("hl-" + go.getAttribute("data-goto"));
      if (target) { e.preventDefault(); target.focus(); target.scrollIntoView({ block: "center" }); }
      return;
    }
    var rv = e.target.closest ? e.target.closest("a[data-review]") : null;
    if (rv) {
      var sel = document.getElementById("rv-label-" + rv.getAttribute("data-review"));
      if (sel) { e.preventDefault(); sel.scrollIntoView({ block: "center" }); sel.focus(); }
    }
  });
  document.addEventListener("focusin", function (e) {
    var t = e.target;
    if (t && t.matches && t.matches("mark[data-index]")) { show(Number(t.getAttribute("data-index")), false); }
  });
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (t && t.matches && t.matches("mark[data-index]") && (e.key === "Enter" || e.key === " ")) {
      e.preventDefault();
      show(Number(t.getAttribute("data-index")), true);
    }
  });
  Array.prototype.forEach.call(document.querySelectorAll("mark[data-index]"), function (m) {
    m.setAttribute("aria-expanded", "false");
  });
})();
