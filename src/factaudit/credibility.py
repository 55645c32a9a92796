"""Domain helpers and the shipped credibility prior (see resources/CREDIBILITY_NOTICE.md)."""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from .document import Credibility, Specificity

LOW_TAGS = {"fake", "conspiracy", "junksci", "hate", "unreliable", "rumor", "clickbait"}
LOW_WP = {"Deprecated", "Blacklisted", "Generally unreliable"}
#: pc1 bands (Lin et al. 2023 scale); ~the 30th and 75th percentiles of the rated domains.
PC1_HIGH, PC1_MEDIUM = 0.75, 0.5


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    ref = resources.files("factaudit") / "resources" / "credibility.json.gz"
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


@lru_cache(maxsize=1)
def _psl() -> Any:
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()


def table_info() -> dict[str, Any]:
    t = _table()
    return {"version": t["version"], "sources": t["sources"], "domains": len(t["domains"])}


def normalize_url(url: str) -> str:
    url = url.strip().strip("()<>[]\"'.,;")
    if "://" not in url:
        url = "https://" + url
    return url


def host_of(url: str) -> str | None:
    try:
        host = urlsplit(normalize_url(url)).hostname
    except ValueError:
        return None
    return host.lower().rstrip(".") if host else None


def registrable_domain(host: str) -> str:
    """theguardian.com for www.theguardian.com; bbc.co.uk for news.bbc.co.uk (offline PSL)."""
    host = host.lower().rstrip(".")
    dom = _psl().privatesuffix(host)
    return str(dom) if dom else host


def specificity(url: str) -> Specificity:
    """home_page (no path), section (/world, /business/markets) or article (a slug, ids, dates)."""
    try:
        parts = urlsplit(normalize_url(url))
    except ValueError:
        return "unknown"
    segs = [
        s
        for s in parts.path.split("/")
        if s and s.lower() not in ("index.html", "index.htm", "index.php", "home", "en", "us", "uk", "amp")
    ]
    if not segs and not parts.query:
        return "home_page"
    if not segs:
        return "article"  # a query-addressed page (?id=123)
    sectionish = all(
        len(s) <= 24 and s.replace("-", "").replace("_", "").isalpha() and s.count("-") <= 1 for s in segs
    )
    if sectionish and len(segs) <= 3 and not parts.query:
        return "section"
    return "article"


def lookup(domain: str | None) -> Credibility:
    if not domain:
        return Credibility(score=None, label="unrated")
    domains = _table()["domains"]
    rec = domains.get(domain) or domains.get(domain.removeprefix("www."))
    if rec is None:
        return Credibility(score=None, label="unrated")
    pc1 = rec.get("pc1")
    wp = rec.get("wp")
    tags = set(rec.get("os", []))
    if tags & LOW_TAGS or wp in LOW_WP:
        label = "low"
    elif "satire" in tags:
        label = "satire"
    elif pc1 is not None:
        label = "high" if pc1 >= PC1_HIGH else "medium" if pc1 >= PC1_MEDIUM else "low"
    elif wp == "Generally reliable":
        label = "high"
    elif wp == "No consensus":
        label = "mixed"
    else:
        label = "unrated"
    ratings: dict[str, Any] = {}
    if pc1 is not None:
        ratings["lin2023_pc1"] = pc1
    if wp:
        ratings["wikipedia_perennial"] = wp
    if tags:
        ratings["opensources"] = sorted(tags)
    return Credibility(score=pc1, label=label, ratings=ratings)


def outlet_domain(name: str) -> str | None:
    """The domain of an outlet named in text ("The Guardian" -> theguardian.com) when known."""
    names = _table()["names"]
    key = name.lower().strip(" .")
    for k in (key, key.removeprefix("the "), "the " + key):
        if k in names:
            return str(names[k])
    return KNOWN_OUTLETS.get(key.removeprefix("the "))


#: Outlets often named in text whose names the perennial list spells differently.
KNOWN_OUTLETS = {
    "guardian": "theguardian.com",
    "financial times": "ft.com",
    "ft": "ft.com",
    "reuters": "reuters.com",
    "associated press": "apnews.com",
    "ap": "apnews.com",
    "bbc": "bbc.co.uk",
    "bbc news": "bbc.co.uk",
    "new york times": "nytimes.com",
    "washington post": "washingtonpost.com",
    "wall street journal": "wsj.com",
    "bloomberg": "bloomberg.com",
    "cnn": "cnn.com",
    "economist": "economist.com",
    "times": "thetimes.co.uk",
    "telegraph": "telegraph.co.uk",
    "daily mail": "dailymail.co.uk",
    "fox news": "foxnews.com",
    "al jazeera": "aljazeera.com",
    "npr": "npr.org",
    "politico": "politico.com",
    "axios": "axios.com",
}
