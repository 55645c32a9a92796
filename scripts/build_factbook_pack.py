"""Compact the CIA World Factbook 2025 (CC0; factbook.json, one JSON file per country) into factaudit's
shipped "factbook" evidence pack: short factual sentences per country for key fields, each with the
as-of year the Factbook gives it ("84,012,284 (2025 est.)" → 2025; fields without one get the
edition year).

    python scripts/build_factbook_pack.py [--src ../shared/data/knowledge/factbook]

Writes ``src/factaudit/resources/packs/factbook-2025.jsonl.gz`` (one JSON line per country:
code, region, name, url, facts[{field, text, date}]) and ``factbook-2025.json`` (pack metadata with
the data file's sha256).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import html
import json
import re
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SRC = ROOT.parent / "shared" / "data" / "knowledge" / "factbook"
OUT_DIR = ROOT / "src" / "factaudit" / "resources" / "packs"
EDITION = "2025"
MAX_CHARS = 380
#: Entities whose "Country name" is "none" or missing.
FALLBACK_NAMES = {
    "xx": "the World",
    "ee": "the European Union",
    "zn": "the Pacific Ocean",
    "xq": "the Arctic Ocean",
    "xo": "the Indian Ocean",
    "zh": "the Atlantic Ocean",
    "oo": "the Southern Ocean",
    "io": "the British Indian Ocean Territory",
    "ae": "the United Arab Emirates",
    "fm": "the Federated States of Micronesia",
    "sh": "Saint Helena, Ascension, and Tristan da Cunha",
    "ct": "the Central African Republic",
}
_KEEP_UPPER = {
    "US",
    "UK",
    "UN",
    "EU",
    "USSR",
    "NATO",
    "OAS",
    "AU",
    "ASEAN",
    "UAE",
    "DC",
    "II",
    "III",
    "IV",
    "VI",
    "VII",
    "VIII",
    "IX",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "GDP",
    "PPP",
}
_TAG = re.compile(r"<[^>]+>")
_YEAR = re.compile(r"\(((?:19|20)\d\d)(?:\s*est\.?)?\)")
_UPPER_WORD = re.compile(r"\b[A-Z][A-Z'\-]+\b")


def clean(value: str) -> str:
    s = html.unescape(_TAG.sub(" ", value)).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", s).strip().rstrip(";").strip()


def names_case(s: str) -> str:
    """``President Frank-Walter STEINMEIER`` → ``President Frank-Walter Steinmeier`` (acronyms kept)."""

    def fix(m: re.Match[str]) -> str:
        w = m.group(0)
        if w in _KEEP_UPPER or len(w) < 2:
            return w
        return "-".join(part[:1] + part[1:].lower() for part in w.split("-"))

    return _UPPER_WORD.sub(fix, s)


def shorten(s: str, limit: int = MAX_CHARS) -> str:
    if len(s) <= limit:
        return s
    for sep in ("; ", ". ", ", "):
        cut = s.rfind(sep, 0, limit)
        if cut > limit // 3:
            return s[:cut].rstrip(" ,;")
    return s[: s.rfind(" ", 0, limit)].rstrip(" ,;") + "…"


def year_of(s: str) -> str:
    years = _YEAR.findall(s)
    return years[-1] if years else EDITION


def text_of(node: Any) -> str | None:
    if isinstance(node, dict) and isinstance(node.get("text"), str):
        t = clean(node["text"])
        return t if t and t.lower() not in ("na", "none", "") else None
    return None


def latest(section: dict[str, Any], field: str) -> str | None:
    """The most recent year's value of a multi-year field (``"Exports 2024"``, ``"Exports 2023"``)."""
    node = section.get(field)
    if not isinstance(node, dict):
        return None
    direct = text_of(node)
    if direct:
        return direct
    best: tuple[int, str] | None = None
    for key, sub in node.items():
        m = re.search(r"((?:19|20)\d\d)$", key.strip())
        t = text_of(sub)
        if m and t and (best is None or int(m.group(1)) > best[0]):
            best = (int(m.group(1)), t)
    return best[1] if best else None


def country_facts(d: dict[str, Any], name: str) -> list[dict[str, str]]:
    geo = d.get("Geography", {})
    people = d.get("People and Society", {})
    gov = d.get("Government", {})
    econ = d.get("Economy", {})
    mil = d.get("Military and Security", {})
    facts: list[dict[str, str]] = []

    def add(field: str, sentence: str | None) -> None:
        if sentence:
            sentence = shorten(sentence.rstrip("."))
            facts.append({"field": field, "text": sentence + ".", "date": year_of(sentence)})

    cap = text_of(gov.get("Capital", {}).get("name", {}))
    if cap:
        add("capital", f"The capital of {name} is {names_case(cap)}")
    pop = text_of(people.get("Population", {}).get("total", {})) or text_of(people.get("Population", {}))
    if pop:
        add("population", f"The population of {name} is {pop}")
    area = geo.get("Area", {})
    total = next((text_of(v) for k, v in area.items() if k.strip() == "total"), None)
    if total:
        land, water = text_of(area.get("land", {})), text_of(area.get("water", {}))
        extra = f" (land: {land}; water: {water})" if land and water else ""
        add("area", f"The total area of {name} is {total}{extra}")
    loc = text_of(geo.get("Location", {}))
    if loc:
        add("location", f"{name[:1].upper() + name[1:]} is located in {loc}")
    gtype = text_of(gov.get("Government type", {}))
    if gtype:
        add("government_type", f"The government type of {name} is {gtype}")
    execb = gov.get("Executive branch", {})
    for role in ("chief of state", "head of government"):
        t = text_of(execb.get(role, {}))
        if t:
            t = re.split(r";\s*note\b|\bnote:", t)[0].strip()
            add(role.replace(" ", "_"), f"The {role} of {name} is {names_case(t)}")
    names = gov.get("Country name", {})
    long_form = text_of(names.get("conventional long form", {}))
    if long_form:
        add("official_name", f"The official name of {name} is {long_form}")
    indep = text_of(gov.get("Independence", {}))
    if indep:
        add("independence", f"Independence of {name}: {indep.split('; ')[0]}")
    for field, label in (
        ("Languages", "Languages of {}"),
        ("Ethnic groups", "Ethnic groups of {}"),
        ("Religions", "Religions of {}"),
    ):
        node = people.get(field, {})
        t = text_of(node.get(field, {})) if isinstance(node, dict) and field in node else text_of(node)
        if t:
            t = re.split(r";\s*note\b", t)[0]
            add(field.lower().replace(" ", "_"), f"{label.format(name)}: {t}")
    for field, label in (
        ("Median age", "The median age in {} is {}"),
        ("Life expectancy at birth", "Life expectancy at birth in {} is {}"),
    ):
        node = people.get(field, {})
        t = (
            text_of(node.get("total", {})) or text_of(node.get("total population", {}))
            if isinstance(node, dict)
            else None
        )
        if t:
            add(field.lower().replace(" ", "_"), label.format(name, t))
    urban = text_of(people.get("Major urban areas - population", {}))
    if urban:
        add("urban_areas", f"Major urban areas of {name} (population): {names_case(urban)}")
    for field, label in (
        ("Real GDP (purchasing power parity)", "The real GDP (purchasing power parity) of {} was {}"),
        ("Real GDP per capita", "The real GDP per capita (PPP) of {} was {}"),
        ("GDP (official exchange rate)", "The GDP (official exchange rate) of {} was {}"),
        ("Real GDP growth rate", "The real GDP growth rate of {} was {}"),
        ("Inflation rate (consumer prices)", "The inflation rate (consumer prices) of {} was {}"),
        ("Unemployment rate", "The unemployment rate of {} was {}"),
        ("Public debt", "The public debt of {} was {}"),
        ("Exports", "The exports of {} were {}"),
        ("Imports", "The imports of {} were {}"),
    ):
        t = latest(econ, field)
        if t:
            add(re.sub(r"\W+", "_", field.lower()).strip("_"), label.format(name, t))
    for field, label in (
        ("Exports - partners", "The main export partners of {} are {}"),
        ("Imports - partners", "The main import partners of {} are {}"),
        ("Industries", "The industries of {} include {}"),
        ("Agricultural products", "The agricultural products of {} include {}"),
    ):
        t = text_of(econ.get(field, {}))
        if t:
            add(re.sub(r"\W+", "_", field.lower()).strip("_"), label.format(name, t))
    rates = econ.get("Exchange rates", {})
    currency = text_of(rates.get("Currency", {})) if isinstance(rates, dict) else None
    if currency:
        cur = re.sub(r"\s*per US dollar.*$", "", currency).strip(" -")
        if cur:
            add("currency", f"The currency of {name} is the {cur}")
        rate = latest(econ, "Exchange rates")
        m = re.match(r"([\d.,]+)\s*(\(.*?\))", rate or "")
        if m and cur:
            add(
                "exchange_rate",
                f"The exchange rate of {name} was {m.group(1)} {cur} per US dollar {m.group(2)}",
            )
    spend = latest(mil, "Military expenditures")
    if spend:
        add("military_expenditures", f"The military expenditures of {name} were {spend}")
    for field, label in (
        ("Climate", "The climate of {} is {}"),
        ("Natural resources", "Natural resources of {}: {}"),
        ("Coastline", "The coastline of {} is {}"),
    ):
        t = text_of(geo.get(field, {}))
        if t:
            add(field.lower().replace(" ", "_"), label.format(name, t))
    bg = text_of(d.get("Introduction", {}).get("Background", {}))
    if bg:
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", bg)
        add("background", " ".join(sentences[:2]))
    return facts


def entity_name(code: str, d: dict[str, Any]) -> str | None:
    names = d.get("Government", {}).get("Country name", {})
    for form in ("conventional short form", "conventional long form"):
        t = text_of(names.get(form, {}))
        if t:
            return re.sub(r"\s*\((?:sometimes|also)\b[^)]*\)", "", t)
    return FALLBACK_NAMES.get(code)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower().removeprefix("the ")).strip("-")


def build(src: Path, out_dir: Path) -> dict[str, Any]:
    rows = []
    for f in sorted(src.glob("*/*.json")):
        if f.parent.name == "meta":
            continue
        d = json.loads(f.read_text(encoding="utf-8"))
        code = f.stem
        name = entity_name(code, d)
        if not name:
            continue
        facts = country_facts(d, name)
        if facts:
            rows.append(
                {
                    "code": code,
                    "region": f.parent.name,
                    "name": name.removeprefix("the "),
                    "url": f"https://www.cia.gov/the-world-factbook/countries/{slug(name)}/",
                    "facts": facts,
                }
            )
    out_dir.mkdir(parents=True, exist_ok=True)
    data_path = out_dir / f"factbook-{EDITION}.jsonl.gz"
    payload = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows).encode("utf-8")
    with gzip.GzipFile(data_path, "wb", compresslevel=9, mtime=0) as gz:
        gz.write(payload)
    meta = {
        "name": "factbook",
        "title": f"CIA World Factbook {EDITION}",
        "edition": EDITION,
        "licence": "CC0-1.0 (public domain; U.S. Government work)",
        "source": "The World Factbook, Central Intelligence Agency, 2025 edition, via the factbook.json "
        "project (github.com/factbook/factbook.json, CC0)",
        "countries": len(rows),
        "facts": sum(len(r["facts"]) for r in rows),
        "data_file": data_path.name,
        "sha256": hashlib.sha256(data_path.read_bytes()).hexdigest(),
    }
    (out_dir / f"factbook-{EDITION}.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return meta


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", type=Path, default=DEFAULT_SRC)
    ap.add_argument("--out", type=Path, default=OUT_DIR)
    args = ap.parse_args()
    print(json.dumps(build(args.src, args.out), indent=2))


if __name__ == "__main__":
    main()
