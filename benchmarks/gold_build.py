"""Build benchmarks/gold/claims_gold.jsonl from the annotators' working files (benchmarks/gold/work/).

Quotes become character offsets into the article's decoded text (:func:`decoded_text`), each span
with the sha256 of its text. Horne 2017 entries keep their text (its licence allows it, notice in
benchmarks/gold/README.md); BBC entries keep offsets, hashes, cue words and holder names only.

    python benchmarks/gold_build.py        # reads ../shared/data/articles, writes the gold file
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "benchmarks" / "gold"
ARTICLES = ROOT.parent / "shared" / "data" / "articles"


def decoded_text(path: Path) -> str:
    """The text annotators read: UTF-8 when the bytes are valid UTF-8, else cp1252; LF line ends."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _find(text: str, quote: str, occurrence: int = 1) -> int:
    pos = -1
    for _ in range(max(1, occurrence)):
        pos = text.find(quote, pos + 1)
        if pos < 0:
            raise ValueError(f"quote not found: {quote[:60]!r}")
    return pos


def _nth_word(quote: str, mention: str, nth: int) -> int:
    """Offset inside ``quote`` of the ``nth`` whole-word occurrence of ``mention`` (case-sensitive,
    then case-insensitive)."""
    for flags in (0, re.I):
        hits = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(mention)}(?!\w)", quote, flags)]
        if len(hits) >= nth:
            return hits[nth - 1]
    raise ValueError(f"mention {mention!r} #{nth} not in {quote[:60]!r}")


def build_entry(work: dict[str, Any]) -> dict[str, Any]:
    path = ARTICLES / work["path"]
    text = decoded_text(path)
    keep_text = work["path"].startswith("horne2017/")

    def span(quote: str, occurrence: int = 1) -> dict[str, Any]:
        start = _find(text, quote, occurrence)
        out: dict[str, Any] = {"start": start, "end": start + len(quote), "sha": sha(quote)}
        if keep_text:
            out["quote"] = quote
        return out

    claims = []
    for i, c in enumerate(work.get("claims", []), 1):
        entry = {
            "id": f"g{i}",
            **span(c["quote"], int(c.get("occurrence", 1))),
            "holder_kind": c["holder_kind"],
            "holder": c.get("holder"),
            "hedges": [h.lower() for h in c.get("hedges", [])],
            "modality": c.get("modality", "factual"),
            "checkworthy": bool(c.get("checkworthy")),
        }
        if keep_text:
            entry["claim"] = c.get("claim")
        claims.append(entry)
    pronouns = []
    for p in work.get("pronouns", []):
        try:
            q = _find(text, p["quote"])
            at = q + _nth_word(p["quote"], p["mention"], int(p.get("nth", 1)))
        except ValueError as exc:
            print(f"{work['path']}: {exc}", file=sys.stderr)
            continue
        pronouns.append({"start": at, "end": at + len(p["mention"]), "mention": p["mention"],
                         "referent": p.get("referent")})
    non_claims = []
    for n in work.get("non_claims", []):
        try:
            non_claims.append({**span(n["quote"]), "why": n.get("why")})
        except ValueError as exc:
            print(f"{work['path']}: {exc}", file=sys.stderr)
    return {
        "path": work["path"],
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "annotator": work.get("annotator"),
        "claims": claims,
        "pronouns": pronouns,
        "non_claims": non_claims,
    }


def main() -> None:
    sample = {s["path"]: s for s in json.loads((GOLD / "sample.json").read_text(encoding="utf-8"))}
    rows = []
    for folder in sorted((GOLD / "work").iterdir()):
        for f in sorted(folder.glob("*.json")):
            work = json.loads(f.read_text(encoding="utf-8"))
            if work.get("path") not in sample:
                continue
            entry = build_entry(work)
            entry["annotator"] = folder.name
            entry["split"] = sample[work["path"]]["split"]
            entry["group"] = sample[work["path"]]["group"]
            if entry["sha256"] != sample[work["path"]]["sha256"]:
                raise SystemExit(f"{work['path']}: file changed since the draw")
            rows.append(entry)
    out = GOLD / "claims_gold.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for r in sorted(rows, key=lambda r: (r["annotator"], r["path"])):
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    n_claims = sum(len(r["claims"]) for r in rows)
    print(f"wrote {out}: {len(rows)} article annotations, {n_claims} claims")


if __name__ == "__main__":
    main()
