"""Build the shipped fact-check entries from the Snopes claims of 2020.

    python scripts/build_factcheck_library.py [--snopes ../shared/data/factchecks/snopes_claims_2020.jsonl]

Writes ``src/factaudit/resources/factchecks/snopes-2020.jsonl.gz``: one line per fact-check with ONLY
the fields fact-checkers publish as ClaimReview markup for reuse — the claim as reviewed
(``statement``), the rating in Snopes' words (``evaluation``), the date (ISO), the URL and the
publisher. Titles, subtitles, authors and article text are left out. Entries without a claim or a
URL are dropped, and so are statements the collection cut short (fewer than four words, or ending
in a function word: "The creator of", "Donald Trump said on"); a URL seen twice is kept once. The
counts go to ``snopes-2020.json`` beside it.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from factaudit.factchecks.ratings import normalise_rating  # noqa: E402
from factaudit.factchecks.readers import iso_date  # noqa: E402
from factaudit.lexicon import STOP_WORDS  # noqa: E402

OUT_DIR = ROOT / "src" / "factaudit" / "resources" / "factchecks"
DEFAULT_SNOPES = ROOT.parent / "shared" / "data" / "factchecks" / "snopes_claims_2020.jsonl"
#: Snopes' rating slugs in their own words.
RATING_WORDS = {"mostly-false": "Mostly False", "mostly-true": "Mostly True", "correct-attribution":
                "Correct Attribution"}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--snopes", type=Path, default=DEFAULT_SNOPES)
    args = ap.parse_args()
    counts: Counter[str] = Counter()
    seen: set[str] = set()
    rows = []
    with args.snopes.open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            counts["read"] += 1
            claim = " ".join(re.sub(r"<[^>]+>", "", str(r.get("statement") or "")).split())
            url = str(r.get("url") or "").strip()
            if not claim or not url:
                counts["dropped: no claim or url"] += 1
                continue
            words = claim.split()
            if len(words) < 4 or words[-1].lower().strip(".,:;") in STOP_WORDS:
                # the collection cut some statements before an italic title ("The creator of",
                # "Donald Trump said on"): a fragment is no claim to match
                counts["dropped: truncated statement"] += 1
                continue
            if url in seen:
                counts["dropped: duplicate url"] += 1
                continue
            seen.add(url)
            slug = str(r.get("evaluation") or "").strip()
            rating = RATING_WORDS.get(slug, slug.replace("-", " ").title())
            counts[f"normalised: {normalise_rating(rating)}"] += 1
            rows.append({"claim": claim, "rating": rating, "date": iso_date(r.get("date_posted")),
                         "url": url, "publisher": "Snopes", "language": "en"})
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out = OUT_DIR / "snopes-2020.jsonl.gz"
    with gzip.GzipFile(out, "wb", mtime=0) as gz:
        for row in rows:
            gz.write((json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8"))
    meta = {"source": "factchecks/snopes_claims_2020.jsonl", "entries": len(rows),
            "sha256": hashlib.sha256(out.read_bytes()).hexdigest(),
            "fields": ["claim", "rating", "date", "url", "publisher", "language"], "counts": dict(counts)}
    (OUT_DIR / "snopes-2020.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(meta, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
