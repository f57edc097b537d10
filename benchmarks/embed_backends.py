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
- the share of padding in batches formed by characters and by token count;
- agreement of near-duplicate groups with the fp32 groups: pairwise F1 of
  ``NearDuplicateGrouper(threshold).labels_`` at 0.90 and 0.91, on the
  generated families and, when the shared data is present, on the
  JailbreakBench prompts.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from embed_group import (
    _model_path,
    bench_throughput,
    campaign_stream,
    distinct_texts,
    generated_families,
    load_jbb,
    normalise,
    pair_scores,
)

from analytics.embedding import SentenceEmbedder
from analytics.neighbors import NearDuplicateGrouper

BACKENDS = ("torch", "onnx", "onnx-int8", "openvino", "openvino-fp32")
THRESHOLDS = (0.90, 0.91)


def padding(tokenizer, batch_size: int = 32) -> None:
    """Share of a batch's tokens that are padding, when batches are formed by
    character length (what ``encode`` does) and by token count (the compiled
    backends)."""
    print(f"\n== Padding in batches of {batch_size} (share of all tokens fed) ==")
    workloads = {
        "(a) distinct texts": distinct_texts(2000),
        "(b) campaign stream, distinct": list(dict.fromkeys(map(normalise, campaign_stream(2000)))),
    }
    for name, texts in workloads.items():
        lengths = np.array([len(ids) for ids in tokenizer(texts)["input_ids"]])
        shares = []
        for key in (np.array([len(t) for t in texts]), lengths):
            ordered = lengths[np.argsort(key, kind="stable")]
            fed = sum(
                int(ordered[i : i + batch_size].max()) * len(ordered[i : i + batch_size])
                for i in range(0, len(ordered), batch_size)
            )
            shares.append(1 - ordered.sum() / fed)
        print(f"  {name}: by characters {shares[0]:.1%}, by token count {shares[1]:.1%}")


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
            in_flight = (
                f"; {len(embedder.ov_requests_)} batches in flight" if embedder.ov_requests_ else ""
            )
            print(
                f"{backend}: fit {time.perf_counter() - start:.1f} s, "
                f"model id {embedder.model_id_}{probe}{in_flight}"
            )
            embedders[backend] = embedder
        bench_throughput(embedders, args.repeats, baseline_model=baseline)
        padding(baseline.tokenizer)
        print("\n== Fidelity to fp32 torch ==")
        fidelity(baseline, embedders)
    print(f"\nload average at end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
