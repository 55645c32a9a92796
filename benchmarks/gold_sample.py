"""Draw the articles of the claims gold set (issue: faithful claims) from ../shared/data/articles.

The draw is fixed by its seed and was made before anyone looked at the articles or at factaudit's
output on them: 10 Horne 2017 real, 10 fake and 8 satire bodies (both of its datasets pooled), 8 BBC
politics and 8 BBC business articles. Every second article of each group (in draw order) is the
frozen test half that no change is tuned on; the rest is the dev half.

    python benchmarks/gold_sample.py            # prints the JSON list
    python benchmarks/gold_sample.py --write    # writes benchmarks/gold/sample.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT.parent / "shared" / "data" / "articles"
SEED = 20261202
GROUPS = {
    "horne_real": (["horne2017/data/Buzzfeed Political News Dataset/Real",
                    "horne2017/data/Random Poltical News Dataset/Real"], 10),
    "horne_fake": (["horne2017/data/Buzzfeed Political News Dataset/Fake",
                    "horne2017/data/Random Poltical News Dataset/Fake"], 10),
    "horne_satire": (["horne2017/data/Random Poltical News Dataset/Satire"], 8),
    "bbc_politics": (["bbc/politics"], 8),
    "bbc_business": (["bbc/business"], 8),
}
#: Bodies shorter than this many words are too short to hold several claims (titles-only stubs).
MIN_WORDS = 80
MAX_WORDS = 900


def draw() -> list[dict[str, str]]:
    rng = random.Random(SEED)
    out: list[dict[str, str]] = []
    for group, (folders, n) in GROUPS.items():
        files = sorted(p for f in folders for p in (ARTICLES / f).glob("*.txt"))
        rng.shuffle(files)
        picked = 0
        for p in files:
            words = len(p.read_bytes().split())
            if not MIN_WORDS <= words <= MAX_WORDS:
                continue
            out.append({
                "group": group,
                "path": str(p.relative_to(ARTICLES)),
                "sha256": hashlib.sha256(p.read_bytes()).hexdigest(),
                "split": "test" if picked % 2 else "dev",
            })
            picked += 1
            if picked == n:
                break
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    sample = draw()
    text = json.dumps(sample, indent=1) + "\n"
    if args.write:
        (ROOT / "benchmarks" / "gold" / "sample.json").write_text(text, encoding="utf-8")
    print(text, end="")


if __name__ == "__main__":
    main()
