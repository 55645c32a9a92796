"""Dev sets and head-training pairs for verification, built from ../shared/data only.

    python benchmarks/verification_data.py [--data-dir ../shared/data] [--out runs/vhead]

Dev sets (scored once, after every choice was made on training data):
- ``dev_fever_symmetric.jsonl`` — FEVER-Symmetric v0.2 dev as it is (PTB tokens undone);
- ``dev_mismatched.jsonl`` — each FEVER-Symmetric claim paired with the evidence sentence, from
  another claim group (rows joined by a shared claim or a shared evidence sentence), that names none
  of the claim's names and shares the most content words with it; gold NOT ENOUGH INFO;
- ``dev_climate_pairs.jsonl`` — Climate-FEVER claim + evidence sentence where every annotator's
  non-null vote agrees (NOT_ENOUGH_INFO, SUPPORTS or REFUTES), with the Wikipedia article title.

Training pairs (``train_pairs.jsonl``) for the relevance head, its threshold and the claim-level
calibrator: the FEVER rows (fever_train / fever_nli) of the verifier's own calibration split — the
3% of ``nli_pairs`` held out before the verifier was trained (reproduced exactly: same selection,
same seed; the split's mined rows are replaced by stand-ins of the same count, which leaves the
random draws unchanged) — so the verifier's probabilities on them are honest. Per claim:
- positives: its gold evidence (entailment → SUPPORTS, contradiction → REFUTES);
- ``other_claim``: the evidence of another FEVER claim naming none of the claim's names that shares
  the most content words with it (the dev-set (a) recipe, over all 100k+ FEVER premises);
- ``same_subject``: another claim's evidence that mentions the claim's subject but shares no number
  with the claim and covers under half its content words (same page, another fact);
- ``retrieved``: up to two sentences retrieved from the default packs with the project's
  :class:`~factaudit.evidence.retrieve.Retriever` (as the verify stage does) that are not the claim's
  evidence — the off-subject and same-subject sentences real articles get.
After PTB tokens are undone, every pair whose claim or evidence sentence appears anywhere in
../shared/data/verification is dropped.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from factaudit.evaluation.verification import ptb_detok  # noqa: E402
from factaudit.relevance import Name, _spans, _tokens, claim_names, content_words, mentioned  # noqa: E402

SEED = 13


def norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", ptb_detok(text).lower()))


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


@lru_cache(maxsize=200_000)
def _ev(evidence: str) -> tuple[list[tuple[str, ...]], frozenset[str]]:
    return _spans(evidence), frozenset(_tokens(evidence))


@lru_cache(maxsize=50_000)
def _names(claim: str) -> list[Name]:
    return claim_names(claim)


def names_none_of(claim: str, evidence: str) -> bool:
    spans, words = _ev(evidence)
    return not any(mentioned(n, spans, words) for n in _names(claim))


def mentions_subject(claim: str, evidence: str) -> bool:
    names = _names(claim)
    spans, words = _ev(evidence)
    return bool(names) and mentioned(names[0], spans, words)


# ------------------------------------------------------------------------------------ dev sets


def fever_symmetric(data: Path) -> list[dict[str, Any]]:
    rows = read_jsonl(data / "verification" / "fever_symmetric_dev.jsonl")
    return [{"id": str(r["id"]), "claim": ptb_detok(r["claim"]), "evidence": ptb_detok(r["evidence"]),
             "label": r["label"]} for r in rows]


def groups(rows: list[dict[str, Any]]) -> list[int]:
    """Union-find over rows sharing a claim or an evidence sentence."""
    parent = list(range(len(rows)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, r in enumerate(rows):
        for key in ("c:" + norm(r["claim"]), "e:" + norm(r["evidence"])):
            if key in first:
                parent[find(i)] = find(first[key])
            else:
                first[key] = i
    return [find(i) for i in range(len(rows))]


def mismatched(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    g = groups(rows)
    evidences: dict[str, tuple[str, int]] = {}
    for r, gi in zip(rows, g, strict=True):
        evidences.setdefault(norm(r["evidence"]), (r["evidence"], gi))
    ev_list = list(evidences.values())
    ev_words = [content_words(e) for e, _ in ev_list]
    out = []
    seen: set[str] = set()
    for r, gi in zip(rows, g, strict=True):
        key = norm(r["claim"])
        if key in seen:
            continue
        seen.add(key)
        cw = content_words(r["claim"])
        best, best_ov = None, -1
        for (ev, eg), words in zip(ev_list, ev_words, strict=True):
            if eg == gi:
                continue
            ov = len(cw & words)
            if ov > best_ov and names_none_of(r["claim"], ev):
                best, best_ov = ev, ov
        if best is not None:
            out.append({"id": f"mm-{r['id']}", "claim": r["claim"], "evidence": best,
                        "label": "NOT ENOUGH INFO", "overlap": best_ov})
    return out


def climate_pairs(data: Path) -> list[dict[str, Any]]:
    out = []
    for r in read_jsonl(data / "verification" / "climate_fever_dev.jsonl"):
        for ev in r["evidences"]:
            votes = {v for v in ev.get("votes", []) if v}
            if len(votes) == 1:
                out.append({"id": f"{r['claim_id']}:{ev['evidence_id']}", "claim_id": str(r["claim_id"]),
                            "claim": r["claim"], "evidence": ev["evidence"], "title": ev.get("article"),
                            "label": votes.pop().replace("_", " ")})
    return out


# ------------------------------------------------------------------------------- training pairs


def verification_texts(data: Path) -> tuple[set[str], set[str]]:
    """Normalised claims and evidence sentences of every file in ../shared/data/verification."""
    from factaudit.evidence.store import sentence_spans

    claims: set[str] = set()
    sents: set[str] = set()
    for r in read_jsonl(data / "verification" / "fever_symmetric_dev.jsonl"):
        claims.add(norm(r["claim"]))
        sents.add(norm(r["evidence"]))
    for r in read_jsonl(data / "verification" / "climate_fever_dev.jsonl"):
        claims.add(norm(r["claim"]))
        for ev in r["evidences"]:
            sents.add(norm(ev["evidence"]))
    for r in read_jsonl(data / "verification" / "liar_plus_val.jsonl"):
        claims.add(norm(str(r.get("claim", ""))))
        for s, e in sentence_spans(str(r.get("justification") or "")):
            sents.add(norm(str(r["justification"])[s:e]))
    sents.discard("")
    claims.discard("")
    return claims, sents


def contaminated(claim: str, evidence: str, v_claims: set[str], v_sents: set[str]) -> bool:
    from factaudit.evidence.store import sentence_spans

    if norm(claim) in v_claims:
        return True
    ne = norm(evidence)
    if ne in v_sents:
        return True
    return any(norm(evidence[s:e]) in v_sents for s, e in sentence_spans(evidence))


def heldout_fever(data: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(calibration-split FEVER rows, all selected FEVER rows) — see the module docstring."""
    from factaudit.training.verifier import FEVER_SOURCES, select_rows, split_calibration

    rows = read_jsonl(data / "nli" / "nli_pairs.jsonl")
    selected, _ = select_rows(rows)
    stand_ins = [{"premise": "-", "hypothesis": f"-{i}", "label": "neutral", "source": "fever_nee_mined"}
                 for i in range(20000)]
    _, calib = split_calibration(selected + stand_ins)
    fever = [r for r in selected if r["source"] in FEVER_SOURCES]
    return [r for r in calib if r["source"] in FEVER_SOURCES], fever


def training_pairs(
    data: Path, *, retrieved_per_claim: int = 2, split: str = "calib", max_claims: int | None = None
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The head's pairs (``split="calib"``: the verifier's calibration split) or, with
    ``split="train"``, the same recipe over FEVER rows of the verifier's own training split, for
    fine-tuning the verifier with hard negatives (``max_claims`` of them, drawn with the seed)."""
    rng = random.Random(SEED)
    calib, fever = heldout_fever(data)
    if split == "train":
        held = {(norm(r["hypothesis"]), norm(r["premise"])) for r in calib}
        held_claims = {norm(r["hypothesis"]) for r in calib}
        calib = [r for r in fever if (norm(r["hypothesis"]), norm(r["premise"])) not in held
                 and norm(r["hypothesis"]) not in held_claims]
        rng.shuffle(calib)
        if max_claims is not None:
            keep: set[str] = set()
            for r in calib:
                if len(keep) >= max_claims:
                    break
                keep.add(norm(r["hypothesis"]))
            calib = [r for r in calib if norm(r["hypothesis"]) in keep]
    v_claims, v_sents = verification_texts(data)
    gold: dict[str, set[str]] = defaultdict(set)
    for r in fever:
        gold[norm(r["hypothesis"])].add(norm(r["premise"]))
    premises: dict[str, str] = {}
    for r in fever:
        premises.setdefault(norm(r["premise"]), ptb_detok(r["premise"]))
    p_keys = list(premises)
    p_words = [content_words(premises[k]) for k in p_keys]
    inverted: dict[str, list[int]] = defaultdict(list)
    for i, ws in enumerate(p_words):
        for w in ws:
            inverted[w].append(i)
    stats: dict[str, int] = defaultdict(int)
    claims: dict[str, dict[str, Any]] = {}
    for r in calib:
        if r["label"] not in ("entailment", "contradiction"):
            continue
        claim = ptb_detok(r["hypothesis"])
        ev = ptb_detok(r["premise"])
        if contaminated(claim, ev, v_claims, v_sents):
            stats["dropped_contaminated_positive"] += 1
            continue
        ck = norm(claim)
        c = claims.setdefault(ck, {"claim": claim, "pos": [], "labels": set()})
        c["pos"].append(ev)
        c["labels"].add("SUPPORTS" if r["label"] == "entailment" else "REFUTES")
    out: list[dict[str, Any]] = []
    for gid, (ck, c) in enumerate(sorted(claims.items())):
        claim = c["claim"]
        if len(c["labels"]) != 1:
            stats["dropped_mixed_labels"] += 1
            continue
        label = next(iter(c["labels"]))
        for ev in c["pos"]:
            out.append({"group": gid, "claim": claim, "evidence": ev, "title": None, "label": label,
                        "kind": "gold"})
        cw = content_words(claim)
        nums = set(re.findall(r"\d+", claim))
        counts: dict[int, int] = defaultdict(int)
        for w in cw:
            for i in inverted.get(w, ()):
                counts[i] += 1
        ranked = sorted(counts, key=lambda i: (-counts[i], i))
        own = gold[ck]
        other = same = None
        for i in ranked[:400]:
            key = p_keys[i]
            if key in own:
                continue
            ev = premises[key]
            if other is None and names_none_of(claim, ev):
                other = ev
            elif (same is None and mentions_subject(claim, ev) and not (nums & set(re.findall(r"\d+", ev)))
                  and counts[i] < 0.5 * max(1, len(cw))):
                same = ev
            if other is not None and same is not None:
                break
        for kind, ev in (("other_claim", other), ("same_subject", same)):
            if ev is None:
                continue
            if contaminated(claim, ev, v_claims, v_sents):
                stats[f"dropped_contaminated_{kind}"] += 1
                continue
            out.append({"group": gid, "claim": claim, "evidence": ev, "title": None,
                        "label": "NOT ENOUGH INFO", "kind": kind})
    stats["claims"] = len({r["group"] for r in out})
    print(f"mined FEVER negatives for {stats['claims']} claims", flush=True)
    # retrieved non-evidence sentences from the default packs
    from factaudit.evidence.packs import open_default_store
    from factaudit.evidence.retrieve import Retriever, split_sentences
    from factaudit.stages.verify import claim_entities

    store = open_default_store(None)
    retriever = Retriever(store)
    by_group: dict[int, dict[str, Any]] = {}
    for r in out:
        by_group.setdefault(r["group"], r)
    extra = []
    for gid, r in by_group.items():
        claim = r["claim"]
        own = gold[norm(claim)]
        cw = content_words(claim)
        cands = []
        for h in retriever.search(claim, k=5, entities=claim_entities(claim)):
            for s in split_sentences(h):
                ov = len(cw & content_words(s.text))
                if ov == 0 or norm(s.text) in own or any(norm(s.text) in g for g in own):
                    continue
                cands.append((-ov, h.rank, s.text, h.title))
        cands.sort(key=lambda x: (x[0], x[1]))
        for _, _, text, title in cands[:retrieved_per_claim]:
            if contaminated(claim, text, v_claims, v_sents):
                stats["dropped_contaminated_retrieved"] += 1
                continue
            extra.append({"group": gid, "claim": claim, "evidence": text, "title": title,
                          "label": "NOT ENOUGH INFO", "kind": "retrieved"})
    store.close()
    out.extend(extra)
    rng.shuffle(out)
    out.sort(key=lambda r: r["group"])
    for r in out:
        stats[f"pairs_{r['kind']}"] += 1
    return out, dict(stats)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=REPO / "runs" / "vhead")
    ap.add_argument("--skip-training", action="store_true")
    ap.add_argument("--verifier-negatives", type=int, default=0, metavar="N",
                    help="also write verifier_finetune.jsonl: the head's recipe over N claims of the "
                         "verifier's training split (NLI rows, for training.verifier --init)")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    fs = fever_symmetric(args.data_dir)
    write_jsonl(args.out / "dev_fever_symmetric.jsonl", fs)
    mm = mismatched(fs)
    write_jsonl(args.out / "dev_mismatched.jsonl", mm)
    cp = climate_pairs(args.data_dir)
    write_jsonl(args.out / "dev_climate_pairs.jsonl", cp)
    counts: dict[str, int] = defaultdict(int)
    for r in cp:
        counts[r["label"]] += 1
    print(f"FEVER-Symmetric {len(fs)}; mismatched {len(mm)}; Climate-FEVER unanimous pairs {len(cp)} "
          f"{dict(counts)}")
    if args.verifier_negatives:
        vp, vstats = training_pairs(args.data_dir, split="train", max_claims=args.verifier_negatives)
        nli_label = {"SUPPORTS": "entailment", "REFUTES": "contradiction", "NOT ENOUGH INFO": "neutral"}
        rows = [{"premise": r["evidence"], "hypothesis": r["claim"], "label": nli_label[r["label"]],
                 "source": "fever_hard_nee_" + r["kind"] if r["kind"] != "gold" else "fever_gold_ft"}
                for r in vp]
        # plus an unrelated sentence for a third of the claims ("The cat sat on the mat." does not
        # refute "Tesla makes cars.", which the shipped verifier called REFUTED 0.89)
        rng = random.Random(SEED + 1)
        evidence = [r["evidence"] for r in vp]
        for claim in sorted({r["claim"] for r in vp}):
            if rng.random() < 1 / 3:
                ev = rng.choice(evidence)
                if names_none_of(claim, ev):
                    rows.append({"premise": ev, "hypothesis": claim, "label": "neutral",
                                 "source": "fever_hard_nee_random"})
        rng.shuffle(rows)
        write_jsonl(args.out / "verifier_finetune.jsonl", rows)
        print(f"verifier fine-tuning pairs {len(vp)}: {vstats}")
    if not args.skip_training:
        tp, stats = training_pairs(args.data_dir)
        write_jsonl(args.out / "train_pairs.jsonl", tp)
        (args.out / "train_stats.json").write_text(json.dumps(stats, indent=2) + "\n", encoding="utf-8")
        print(f"training pairs {len(tp)}: {stats}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
