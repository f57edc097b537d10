"""Embedding backends compared: throughput against plain encode, and fidelity.

Run from the repository root:

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/embed_backends.py [--repeats 5]

For each SentenceEmbedder backend it prints

- throughput of the platform path (dedupe, sort by length, backend) as the
  median of per-run ratios against plain ``SentenceTransformer.encode`` (same
  model, batch size 32), runs interleaved so that load from other processes
  hits both, on (a) 2,000 all-distinct texts and (b) a 2,000-text campaign
  stream (workloads from embed_group.py);
- cosine to the fp32 torch vectors (mean / min);
- agreement of near-duplicate groups with the fp32 groups: pairwise F1 of
  ``NearDuplicateGrouper(threshold).labels_`` at 0.90 and 0.91, on the
  generated families and, when the shared data is present, on the
  JailbreakBench prompts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from embed_group import (
    _model_path,
    campaign_stream,
    distinct_texts,
    generated_families,
    load_jbb,
    normalise,
    pair_scores,
)

from analytics.embedding import SentenceEmbedder
from analytics.neighbors import NearDuplicateGrouper

BACKENDS = ("torch", "onnx", "onnx-int8")
THRESHOLDS = (0.90, 0.91)


def platform_path(embedder: SentenceEmbedder, texts: list[str]) -> np.ndarray:
    """What the embed job does: one vector per normalised text, then fan out."""
    unique = list(dict.fromkeys(normalise(x) for x in texts))
    vectors = embedder.transform(unique)
    slot = {k: i for i, k in enumerate(unique)}
    return vectors[[slot[normalise(x)] for x in texts]]


def throughput(baseline, embedders: dict[str, SentenceEmbedder], repeats: int) -> None:
    workloads = {
        "(a) 2,000 distinct texts": distinct_texts(2000),
        "(b) 2,000-text campaign stream": campaign_stream(2000),
    }
    for name, texts in workloads.items():
        print(f"\n{name}")
        baseline.encode(texts[:64], batch_size=32)  # warm-up
        for embedder in embedders.values():
            embedder.transform(texts[:64])
        base_times: list[float] = []
        times: dict[str, list[float]] = {k: [] for k in embedders}
        for _ in range(repeats):
            start = time.perf_counter()
            baseline.encode(texts, batch_size=32)
            base_times.append(time.perf_counter() - start)
            for label, embedder in embedders.items():
                start = time.perf_counter()
                platform_path(embedder, texts)
                times[label].append(time.perf_counter() - start)
        base = statistics.median(base_times)
        print(f"  baseline SentenceTransformer.encode(bs=32): {len(texts) / base:7.1f}/s")
        for label, runs in times.items():
            ratios = [b / c for b, c in zip(base_times, runs, strict=True)]
            print(
                f"  {label:10s} {len(texts) / statistics.median(runs):7.1f}/s  ratio "
                f"median {statistics.median(ratios):5.2f}x  (runs {min(ratios):.2f}-"
                f"{max(ratios):.2f})"
            )


def fidelity(baseline, embedders: dict[str, SentenceEmbedder]) -> None:
    datasets = {"generated families": generated_families()[0]}
    jbb = load_jbb()
    if jbb is not None:
        datasets["JailbreakBench prompts"] = jbb[0]
    for name, texts in datasets.items():
        reference = baseline.encode(
            texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True
        )
        groups = {t: NearDuplicateGrouper(threshold=t).fit(reference).labels_ for t in THRESHOLDS}
        print(f"\n{name}: {len(texts)} texts; against fp32 SentenceTransformer.encode")
        for label, embedder in embedders.items():
            vectors = embedder.transform(texts)
            cosine = np.sum(vectors * reference, axis=1)
            scores = []
            for t in THRESHOLDS:
                labels = NearDuplicateGrouper(threshold=t).fit(vectors).labels_
                scores.append(f"F1@{t:.2f} {pair_scores(groups[t], labels)[2]:.4f}")
            print(
                f"  {label:10s} cosine mean {cosine.mean():.6f} min {cosine.min():.6f}  "
                + "  ".join(scores)
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--backends", nargs="+", default=list(BACKENDS), choices=BACKENDS)
    parser.add_argument("--cache-dir", help="keep exported ONNX files here (default: temp)")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    print(f"load average at start: {os.getloadavg()}; cores: {os.cpu_count()}")
    baseline = SentenceTransformer(str(_model_path()), device="cpu")
    with tempfile.TemporaryDirectory() as scratch:
        cache = args.cache_dir or scratch
        embedders: dict[str, SentenceEmbedder] = {}
        for backend in args.backends:
            start = time.perf_counter()
            embedder = SentenceEmbedder(backend=backend, cache_dir=cache).fit()
            probe = (
                ""
                if embedder.probe_cosine_ is None
                else f"; probe cosine mean {embedder.probe_cosine_:.6f} "
                f"min {embedder.probe_cosine_min_:.6f}"
            )
            print(
                f"{backend}: fit {time.perf_counter() - start:.1f} s, "
                f"model id {embedder.model_id_}{probe}"
            )
            embedders[backend] = embedder
        print(f"\n== Throughput: median of {args.repeats} interleaved per-run ratios ==")
        throughput(baseline, embedders, args.repeats)
        print("\n== Fidelity to fp32 torch ==")
        fidelity(baseline, embedders)
    print(f"\nload average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
