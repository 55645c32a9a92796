// The one side-panel renderer, shared by the static report (report.js) and the web audit page
// (web/templates/audit.js): each page inlines this file followed by its own glue, as one script
// pinned by the page's CSP hash. It reads the embedded report JSON (the facts) and the view JSON
// (the report's wording) and builds DOM with textContent only: article text is never parsed as HTML.
var FactauditPanel = (function () {
  "use strict";
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function json(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }
  function link(href, text) {
    var a = el("a", text);
    a.setAttribute("href", href);
    if (/^https?:\/\//i.test(href)) { a.setAttribute("rel", "noopener noreferrer nofollow"); }
    return a;
  }
  function init(options) {
    var opts = options || {};
    var data = json("factaudit-data");
    var view = json("factaudit-view") || { assertions: [], claims: {}, relations: [] };
    var body = document.getElementById("panel-body");
    var title = document.getElementById("panel-title");
    var panel = document.getElementById("panel");
    if (!data || !body || !title) { return null; }
    var art = data.article;
    var assertions = art.assertions || [];
    var citations = {};
    (art.citations || []).forEach(function (c) { citations[c.id] = c; });
    var claimsOf = {};
    var claimById = {};
    var indexOf = {};
    assertions.forEach(function (a, i) { indexOf[a.id] = i; });
    (art.claims || []).forEach(function (c) {
      (claimsOf[c.assertion_id] = claimsOf[c.assertion_id] || []).push(c);
      claimById[c.id] = c;
    });
    var SPEC = { home_page: "home page only", section: "section page", article: "specific article", unknown: "unknown" };
    var active = [];
    var chars = null;

    function textSlice(start, end) {
      if (chars === null) { chars = Array.from(art.text || ""); }  // offsets count code points
      return chars.slice(start, end).join("");
    }
    function badge(style, extra) {
      var s = style || { css: "none", icon: "\u25cb", word: "Not checked" };
      return el("span", s.icon + " " + s.word + (extra || ""), "vbadge v-" + s.css);
    }
    function row(dl, term, value) {
      dl.appendChild(el("dt", term));
      var dd = el("dd");
      if (value instanceof Node) { dd.appendChild(value); } else { dd.textContent = value; }
      dl.appendChild(dd);
    }
    function credibility(c) {
      if (!c) { return "not rated"; }
      if (c.score === null || c.score === undefined) { return "unrated" + (c.label ? " (" + c.label + ")" : ""); }
      return c.score.toFixed(2) + (c.label ? " (" + c.label + ")" : "");
    }
    function citationList(a) {
      if (!a.citation_ids || !a.citation_ids.length) { return "none cited"; }
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
    function evidenceItem(ev, withLabel) {
      var li = el("li");
      li.appendChild(el("blockquote", ev.quote || ev.passage));
      var src = el("p", "\u2014 " + ev.source + (ev.date ? ", as of " + ev.date : "") +
        (withLabel && ev.label ? " (" + ev.label + ")" : ""), "ev-source");
      if (ev.url && /^https?:\/\//i.test(ev.url)) {
        src.appendChild(document.createTextNode(" "));
        src.appendChild(link(ev.url, "source"));
      }
      li.appendChild(src);
      if (withLabel && ev.rule) { li.appendChild(el("p", "rule: " + ev.rule, "ev-source")); }
      return li;
    }
    function factChecks(cv, wrap) {
      (cv.fact_checks || []).forEach(function (fc) {
        var p = el("p", null, "fact-check" + (fc.conflict ? " fc-conflict" : ""));
        p.appendChild(el("span", "\u27f2 ", "fc-icon"));
        p.appendChild(document.createTextNode(fc.text));
        p.appendChild(el("br"));
        p.appendChild(el("span", "claim as reviewed: ", "muted"));
        p.appendChild(el("q", fc.reviewed));
        if (fc.url) { p.appendChild(document.createTextNode(" \u00b7 ")); p.appendChild(link(fc.url, "read the fact-check")); }
        if (fc.conflict) { p.appendChild(el("br")); p.appendChild(el("strong", fc.conflict, "fc-flag")); }
        wrap.appendChild(p);
      });
      if (cv.related && cv.related.length) {
        var d = el("details", null, "related-fc");
        d.appendChild(el("summary", "related fact-checks (" + cv.related.length + ")"));
        var ul = el("ul");
        cv.related.forEach(function (fc) {
          var li = el("li", fc.text);
          if (fc.url) { li.appendChild(document.createTextNode(" \u00b7 ")); li.appendChild(link(fc.url, "fact-check")); }
          if (fc.conflict) { li.appendChild(document.createTextNode(" ")); li.appendChild(el("strong", fc.conflict, "fc-flag")); }
          if (fc.why) { li.appendChild(el("br")); li.appendChild(el("span", fc.why, "muted fc-why")); }
          ul.appendChild(li);
        });
        d.appendChild(ul);
        wrap.appendChild(d);
      }
    }
    function claimBlock(c) {
      var cv = view.claims[c.id] || {};
      var wrap = el("div", null, "panel-claim");
      var h = el("h3");
      h.appendChild(el("span", c.id + " "));
      h.appendChild(document.createTextNode("\u201c" + c.text + "\u201d"));
      wrap.appendChild(h);
      var dl = el("dl");
      var machine = el("span");
      machine.appendChild(badge(cv.machine));
      machine.appendChild(document.createTextNode(" " + (cv.confidence || ("not checked: " + (cv.unchecked || "no reason recorded")))));
      row(dl, "Machine verdict", machine);
      row(dl, "Check-worthiness", cv.cw || "not scored");
      var r = cv.review;
      if (r) {
        var rv = el("span");
        rv.appendChild(badge(cv.style));
        rv.appendChild(document.createTextNode(" by " + r.reviewer + ", " + r.reviewed_at + (r.approved ? " \u00b7 \u2714 approved" : " \u00b7 not approved")));
        row(dl, "Reviewer", rv);
        if (r.note) { row(dl, "Reviewer\u2019s note", r.note); }
      } else if (opts.reviews) {
        row(dl, "Reviewer", "not reviewed yet");
      }
      wrap.appendChild(dl);
      factChecks(cv, wrap);
      var v = c.verdict;
      if (v && v.evidence && v.evidence.length) {
        var quoted = v.evidence.filter(function (ev) { return ev.label !== "nearest miss"; });
        var nearest = v.evidence.filter(function (ev) { return ev.label === "nearest miss"; });
        if (quoted.length) {
          var ul = el("ul", null, "evidence");
          quoted.forEach(function (ev) { ul.appendChild(evidenceItem(ev, true)); });
          wrap.appendChild(el("p", "Evidence", "panel-term"));
          wrap.appendChild(ul);
        }
        if (nearest.length || v.note) {
          // Collapsed, and with no verdict beside them: the nearest passages are not evidence.
          var d = el("details", null, "nearest");
          d.appendChild(el("summary", nearest.length ? view.nearest_heading + " (" + nearest.length + ")" : "verifier note"));
          if (v.note) { d.appendChild(el("p", v.note, "muted")); }
          var nl = el("ul", null, "evidence");
          nearest.forEach(function (ev) { nl.appendChild(evidenceItem(ev, false)); });
          d.appendChild(nl);
          wrap.appendChild(d);
        }
      } else if (v) {
        wrap.appendChild(el("p", "No evidence quoted.", "muted"));
      }
      var actions = el("p", null, "panel-actions");
      var go = link("#claim-" + c.id, opts.reviews ? "Review " + c.id : "Show " + c.id + " in the claims list");
      go.setAttribute("data-claim", c.id);
      actions.appendChild(go);
      wrap.appendChild(actions);
      return { node: wrap, actions: actions };
    }
    function clear() {
      active.forEach(function (m) { m.classList.remove("active"); m.setAttribute("aria-expanded", "false"); });
      active = [];
      while (body.firstChild) { body.removeChild(body.firstChild); }
      if (panel) { panel.classList.add("open"); }
    }
    function mark(nodes) {
      active = Array.prototype.slice.call(nodes);
      active.forEach(function (m) { m.classList.add("active"); m.setAttribute("aria-expanded", "true"); });
    }
    function showAssertion(index, focusPanel) {
      var a = assertions[index];
      if (!a) { return; }
      var av = view.assertions[index] || {};
      clear();
      mark(document.querySelectorAll('mark[data-index="' + index + '"]'));
      title.textContent = "Statement " + a.id;
      body.appendChild(el("blockquote", a.text));
      var dl = el("dl");
      if (a.content && a.content.end > a.content.start) { row(dl, "Proposition", textSlice(a.content.start, a.content.end)); }
      row(dl, "Who says it", av.holder || a.holder.name);
      row(dl, "Attribution", av.attribution || "");
      row(dl, "Hedges", a.hedges && a.hedges.length ? av.hedges : "none");
      row(dl, "Modality", a.modality);
      if (a.context) { row(dl, "Answers the question", a.context); }
      row(dl, "Cited sources", citationList(a));
      body.appendChild(dl);
      var list = claimsOf[a.id] || [];
      if (list.length) {
        list.forEach(function (c) { body.appendChild(claimBlock(c).node); });
      } else {
        body.appendChild(el("p", "No claim was made from this statement.", "muted"));
      }
      if (focusPanel && panel) { panel.focus({ preventScroll: true }); }
    }
    function showRelation(index, focusPanel) {
      var r = view.relations[index];
      if (!r) { return; }
      clear();
      mark(document.querySelectorAll('[data-relation="' + index + '"]'));
      title.textContent = "Relation: " + r.title;
      var dl = el("dl");
      var v = el("span");
      v.appendChild(badge(r.style));
      v.appendChild(document.createTextNode(" the most serious verdict among its claims"));
      row(dl, "Verdict", v);
      row(dl, "Summary", r.summary);
      body.appendChild(dl);
      ["risks", "benefits"].forEach(function (kind) {
        if (r[kind] && r[kind].length) {
          var d = el("details", null, "claimed");
          d.appendChild(el("summary", (kind === "risks" ? "Claimed risks (" : "Claimed benefits (") + r[kind].length + ")"));
          var ul = el("ul");
          r[kind].forEach(function (t) { ul.appendChild(el("li", t)); });
          d.appendChild(ul);
          body.appendChild(d);
        }
      });
      r.claims.forEach(function (id) {
        var c = claimById[id];
        if (!c) { return; }
        var block = claimBlock(c);
        var i = indexOf[c.assertion_id];
        if (i !== undefined && document.getElementById("hl-" + i)) {
          var go = link("#hl-" + i, "show in text");
          go.setAttribute("data-goto", String(i));
          block.actions.appendChild(document.createTextNode(" \u00b7 "));
          block.actions.appendChild(go);
        }
        body.appendChild(block.node);
      });
      if (!r.claims.length) { body.appendChild(el("p", "No claim names both ends.", "muted")); }
      if (focusPanel && panel) { panel.focus({ preventScroll: true }); }
    }
    function reveal(node) {
      for (var p = node; p; p = p.parentElement) { if (p.tagName === "DETAILS") { p.open = true; } }
    }
    // Scroll to a claim in the list (opening the folded list around it), and with openReview its
    // review form too (the web page's forms are closed until asked for).
    function landOn(id, openReview) {
      var item = document.getElementById("claim-" + id);
      if (!item) { return false; }
      reveal(item);
      var form = openReview ? document.getElementById("review-" + id) : null;
      if (form) { form.open = true; }
      item.scrollIntoView({ block: "start", behavior: "instant" });
      var sel = form ? document.getElementById("rv-label-" + id) : null;
      if (!item.hasAttribute("tabindex")) { item.setAttribute("tabindex", "-1"); }
      (sel || item).focus({ preventScroll: true });
      return true;
    }
    function target(e, selector) {
      return e.target && e.target.closest ? e.target.closest(selector) : null;
    }
    function goTo(index) {
      var t = document.getElementById("hl-" + index);
      if (t) { t.focus({ preventScroll: true }); t.scrollIntoView({ block: "center" }); }
      return !!t;
    }
    document.addEventListener("click", function (e) {
      var m = target(e, "mark[data-index], .vbadges[data-index]");
      if (m) { showAssertion(Number(m.getAttribute("data-index")), false); return; }
      var rel = target(e, "[data-relation]");
      if (rel) { e.preventDefault(); showRelation(Number(rel.getAttribute("data-relation")), true); return; }
      var toClaim = target(e, 'a[href^="#claim-"]');
      if (toClaim) {
        var id = decodeURIComponent(toClaim.getAttribute("href").slice(7));
        if (landOn(id, !!opts.reviews && toClaim.hasAttribute("data-claim"))) {
          e.preventDefault();
          if (window.history && window.history.replaceState) { window.history.replaceState(null, "", "#claim-" + encodeURIComponent(id)); }
        }
        return;
      }
      var go = target(e, "a[data-goto]");
      if (go && goTo(go.getAttribute("data-goto"))) { e.preventDefault(); return; }
      var close = target(e, "#panel-close");
      if (close && panel) { panel.classList.remove("open"); }
    });
    document.addEventListener("focusin", function (e) {
      var t = e.target;
      if (t && t.matches && t.matches("mark[data-index]")) { showAssertion(Number(t.getAttribute("data-index")), false); }
    });
    document.addEventListener("keydown", function (e) {
      var t = e.target;
      if (!t || !t.matches || (e.key !== "Enter" && e.key !== " ")) { return; }
      if (t.matches("mark[data-index]")) { e.preventDefault(); showAssertion(Number(t.getAttribute("data-index")), true); }
      else if (t.matches("g[data-relation]")) { e.preventDefault(); showRelation(Number(t.getAttribute("data-relation")), true); }
    });
    Array.prototype.forEach.call(document.querySelectorAll("mark[data-index]"), function (m) {
      m.setAttribute("aria-expanded", "false");
    });
    // Landing on #claim-<id> (after a review is saved, or from a shared link): once the page is laid
    // out, so the claim is where the reader looks.
    var landing = /^#claim-(.+)$/.exec(window.location.hash || "");
    if (landing) {
      var landId = decodeURIComponent(landing[1]);
      if (landOn(landId, false)) {
        document.getElementById("claim-" + landId).classList.add("landed");
        window.addEventListener("load", function () { landOn(landId, false); });
      }
    }
    return { showAssertion: showAssertion, showRelation: showRelation, landOn: landOn };
  }
  return { init: init };
})();
