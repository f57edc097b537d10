"""How well the ingest text signals separate real labelled data.

Reads the public data sets kept beside the repository (``../shared/data``):

* Davidson et al. hate/offensive tweets: ROC AUC of the offensive-language
  probability for "hate speech or offensive" against "neither".
* JailbreakBench attack prompts against XSTest prompts (written to look
  borderline but not attacks): recall and false-positive rate of the
  injection markers, per attack method.
* Personal-data masking on the same texts, none of which should contain any:
  how many texts get a kind, with examples to inspect by hand.

    .venv/bin/python benchmarks/signals_eval.py [--data PATH]
"""

from __future__ import annotations

import argparse
import collections
import csv
import html
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sklearn.metrics import roc_auc_score

from ingest.signals.injection import find_injection_markers
from ingest.signals.offensive import model_version, offensive_probabilities
from ingest.signals.pii import mask_pii

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DAVIDSON = Path("davidson-hate-offensive/labeled_data.csv")
JAILBREAKBENCH = Path("jailbreakbench-artifacts/jbb_artifacts_flat.csv")
XSTEST = Path("xstest/xstest_prompts.csv")
DAVIDSON_NEITHER = "2"


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def evaluate_offensive(data: Path) -> list[str]:
    rows = read_rows(data / DAVIDSON)
    # The tweets carry HTML entities ("&amp;") from the scrape, not from their authors.
    tweets = [html.unescape(row["tweet"]) for row in rows]
    labels = [int(row["class"] != DAVIDSON_NEITHER) for row in rows]
    scores = offensive_probabilities([mask_pii(tweet)[0] for tweet in tweets])
    auc = roc_auc_score(labels, scores)
    positive = [score for score, label in zip(scores, labels, strict=True) if label]
    negative = [score for score, label in zip(scores, labels, strict=True) if not label]
    return [
        f"offensive ({model_version()}) on Davidson et al., {len(rows)} tweets "
        f"({len(positive)} hate/offensive, {len(negative)} neither)",
        f"  ROC AUC {auc:.3f}; mean prob {sum(positive) / len(positive):.3f} "
        f"(hate/offensive) vs {sum(negative) / len(negative):.3f} (neither)",
    ]


def evaluate_injection(data: Path) -> list[str]:
    attacks = [row for row in read_rows(data / JAILBREAKBENCH) if row["prompt"].strip()]
    benign = read_rows(data / XSTEST)
    lines = [f"injection markers: {len(attacks)} JailbreakBench prompts vs {len(benign)} XSTest"]
    by_method: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    marker_counts: collections.Counter[str] = collections.Counter()
    for row in attacks:
        markers = find_injection_markers(row["prompt"])
        by_method[row["method"]][0] += bool(markers)
        by_method[row["method"]][1] += 1
        marker_counts.update(markers)
    hits = sum(found for found, _ in by_method.values())
    lines.append(f"  recall, all prompts: {hits / len(attacks):.3f} ({hits}/{len(attacks)})")
    distinct = {row["prompt"] for row in attacks}
    distinct_hits = sum(bool(find_injection_markers(prompt)) for prompt in distinct)
    lines.append(
        f"  recall, distinct prompts: {distinct_hits / len(distinct):.3f} "
        f"({distinct_hits}/{len(distinct)})"
    )
    for method, (found, total) in sorted(by_method.items()):
        lines.append(f"    {method:<28} {found / total:.3f} ({found}/{total})")
    lines.append(
        "  markers on attacks: " + ", ".join(f"{m} {n}" for m, n in marker_counts.most_common())
    )
    for label in ("safe", "unsafe"):
        prompts = [row["prompt"] for row in benign if row["label"] == label]
        flagged = [prompt for prompt in prompts if find_injection_markers(prompt)]
        lines.append(
            f"  false-positive rate on XSTest {label} prompts: {len(flagged) / len(prompts):.3f} "
            f"({len(flagged)}/{len(prompts)})"
        )
    tweets = [html.unescape(row["tweet"]) for row in read_rows(data / DAVIDSON)]
    flagged_tweets = [tweet for tweet in tweets if find_injection_markers(tweet)]
    lines.append(
        f"  false-positive rate on Davidson tweets: {len(flagged_tweets) / len(tweets):.4f} "
        f"({len(flagged_tweets)}/{len(tweets)})"
    )
    return lines


def evaluate_pii(data: Path, sample_size: int, seed: int) -> list[str]:
    tweets = [html.unescape(row["tweet"]) for row in read_rows(data / DAVIDSON)]
    sources = {
        "Davidson tweets (sample)": random.Random(seed).sample(
            tweets, min(sample_size, len(tweets))
        ),
        "JailbreakBench prompts": sorted(
            {row["prompt"] for row in read_rows(data / JAILBREAKBENCH)}
        ),
        "XSTest prompts": [row["prompt"] for row in read_rows(data / XSTEST)],
    }
    lines = ["personal-data masking on public texts (every hit printed below is worth a look)"]
    for name, texts in sources.items():
        flagged = [(text, mask_pii(text)) for text in texts]
        flagged = [(text, result) for text, result in flagged if result[1]]
        kinds = collections.Counter(kind for _, (_, found) in flagged for kind in found)
        lines.append(
            f"  {name}: {len(flagged)}/{len(texts)} texts with a kind "
            f"({', '.join(f'{k} {n}' for k, n in kinds.most_common()) or 'none'})"
        )
        for text, (masked, found) in flagged[:5]:
            lines.append(f"    {found}: {text[:100]!r} -> {masked[:100]!r}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--pii-sample", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    needed = [args.data / path for path in (DAVIDSON, JAILBREAKBENCH, XSTEST)]
    missing = [str(path) for path in needed if not path.is_file()]
    if missing:
        print("signals_eval: shared data not found, nothing to evaluate:", *missing, sep="\n  ")
        return 0
    for line in [
        *evaluate_offensive(args.data),
        *evaluate_injection(args.data),
        *evaluate_pii(args.data, args.pii_sample, args.seed),
    ]:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
