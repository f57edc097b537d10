"""From the detector's communities to campaign candidates: the accounts and items, the
public reports about the same texts, keywords from the campaign's own words, a harm
category guess and the explanation an analyst reads (what was found, and why it is
not organic)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from core.queries import detection as detection_queries
from core.queries.detection import Accounts, Items
from core.services.detection import CampaignCandidate

# Words in a campaign's texts that point at a harm category when no report names one.
CATEGORY_HINTS: dict[str, tuple[str, ...]] = {
    "disinformation": (
        "election",
        "vote",
        "ballot",
        "polling",
        "hoax",
        "fake",
        "media",
        "breaking",
        "rigged",
        "leaked",
    ),
    "fraud": ("account", "verify", "prize", "gift", "fee", "bank", "claim", "payment"),
    "cybercrime": ("malware", "keylogger", "phishing", "password", "exploit", "ransomware"),
    "hate_speech": ("immigrants", "parasites", "plague", "vermin"),
    "violent_extremism": ("strike", "force", "fight", "glory", "enemies"),
}

# Groups read as the background a campaign's own words are set against.
BACKGROUND_GROUPS = 2_000


def _span_words(seconds: float) -> str:
    if seconds < 2 * 3600:
        return f"{max(seconds / 60, 1):.0f} minutes"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.0f} hours"
    return f"{seconds / 86400:.0f} days"


def _category(categories: Counter[str], keywords: list[str]) -> str | None:
    if categories:
        # Most reported; ties by name, so that every run picks the same one.
        return min(categories, key=lambda c: (-categories[c], c))
    words = {w.lower() for w in keywords}
    best = max(CATEGORY_HINTS, key=lambda c: len(words & set(CATEGORY_HINTS[c])))
    return best if words & set(CATEGORY_HINTS[best]) else None


def _campaign_keywords(session: Session, community_groups: list[set[int]]) -> list[list[str]]:
    """Each campaign's keywords from its own texts, against a sample of the others.

    The campaign's largest topic cluster named it before, and a cluster can be
    about something else than the few near-duplicates a campaign posts.
    """
    from analytics.keywords import contrast_keywords

    mine = sorted(set().union(*community_groups)) if community_groups else []
    samples = detection_queries.group_samples(session, mine)
    background = detection_queries.background_samples(session, BACKGROUND_GROUPS, set(samples))
    return contrast_keywords(
        [[samples[g] for g in sorted(groups) if samples.get(g)] for groups in community_groups],
        background,
        top_n=20,
    )


def _share(x: float) -> str:
    return f"{x:.0%}" if x < 0.995 else "all"


def _listed(parts: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return " and ".join([", ".join(parts[:-1]), parts[-1]] if len(parts) > 2 else parts)


def _count(n: float, one: str, many: str) -> str:
    """``n`` with the noun that agrees: "1 prompt", "12 prompts"."""
    return f"{n:.0f} {one if round(n) == 1 else many}"


def _explain(
    community: dict[str, Any],
    n_deployers: int,
    n_items: int,
    keywords: list[str],
    public: int,
    offensive: float,
    window: float,
) -> str:
    """What was found and why it is not organic, in words, from the detector's tests."""
    f, summary = community["features"], community["summary"]
    n = summary["n_accounts"]
    first = datetime.fromtimestamp(community["first_time"], UTC)
    last = datetime.fromtimestamp(community["last_time"], UTC)
    about = f" about {', '.join(keywords[:4])}" if keywords else ""
    shared = [_count(summary["n_groups"], "near-duplicate text", "near-duplicate texts")]
    if summary.get("n_prompt_groups"):
        shared.append(_count(summary["n_prompt_groups"], "prompt", "prompts"))
    if summary.get("n_narratives"):
        shared.append(
            _count(
                summary["n_narratives"],
                "narrative (one claim in other words, pushed by several of them)",
                "narratives (claims in other words, each pushed by several of them)",
            )
        )
    what = (
        f"{n} accounts at {n_deployers} deployer{'s' if n_deployers != 1 else ''} posted "
        f"{n_items} texts{about}; their own material came between {first:%Y-%m-%d %H:%M} and "
        f"{last:%Y-%m-%d %H:%M} UTC ({_span_words(last.timestamp() - first.timestamp())}). "
        "They shared "
        f"{_listed(shared)} that hardly anyone else used ({_share(f['exclusivity'])} of "
        f"the accounts using them are among them); each account shares such content with "
        f"the others {f['evidence']:.1f} times on average, resting on "
        f"{_count(f['sources'], 'independent text or burst', 'independent texts or bursts')}."
    )
    if summary.get("n_followers"):
        # Followers are counted in n_accounts but weigh in none of the figures above.
        what += (
            f" Of the {n}, {_count(summary['n_followers'], 'account', 'accounts')} posted "
            "this material within a window of the others but too little to weigh on "
            "their own; the figures above are the others'."
        )
    # A campaign that posts every burst into one text rests on its bursts, not texts.
    why = [
        f"the evidence rests on many independent texts or bursts ({f['sources']:.0f}), "
        "not on one viral post or copypasta"
    ]
    if f["sync_excess"] >= 0.3:
        why.append(
            f"{_share(f['pair_sync'])} of their pairs of shared posts came within "
            f"{_span_words(window)} of each other, where chance predicts "
            f"{f['expected_pair_sync']:.0%}"
        )
    if f["density"] >= 0.15:
        why.append(
            f"{_share(f['density'])} of the account pairs are linked, where people who ask the "
            "same common questions meet at random"
        )
    if f["repetition"] >= 20:
        # An operation at scale (the detector waives focus and concentration for it).
        why.append(
            f"each account shares content with the others from {f['repetition']:.0f} "
            "independent texts or bursts, where people who ask common questions take part "
            "in a handful"
        )
    why.append(f"these posts are {_share(f['focus'])} of the accounts' activity")
    reports = f"{public} public report{'s' if public != 1 else ''}"
    tail = f" {offensive:.0%} offensive-language; {reports}."
    return f"{what} Not organic: {'; '.join(why)}.{tail}"


def candidates(
    session: Session, items: Items, accounts: Accounts, detector: Any
) -> list[CampaignCandidate]:
    """One candidate per community the fitted ``detector`` reported: its accounts (most
    items first), items, public reports on the same texts, keywords, a category guess
    and the explanation."""
    communities = detector.communities_
    if not communities:
        return []
    rows_per = [np.asarray(c["items"], dtype=np.int64) for c in communities]
    cluster_words = detection_queries.cluster_keywords(session)
    community_groups = [{int(g) for g in items.group[rows]} for rows in rows_per]
    own_words = _campaign_keywords(session, community_groups)
    reports = detection_queries.reports_in_groups(session, set().union(*community_groups))
    found: list[CampaignCandidate] = []
    for community, rows, groups, own in zip(
        communities, rows_per, community_groups, own_words, strict=True
    ):
        is_log = items.kind[rows] == 0
        codes, counts = np.unique(items.account[rows], return_counts=True)
        # Most items first; ties in a fixed order, so that every run lists them alike.
        per_account = sorted(
            (
                (accounts.deployer[c], accounts.account_id[c], int(k))
                for c, k in zip(codes.tolist(), counts.tolist(), strict=True)
            ),
            key=lambda x: (-x[2], x[0] if x[0] is not None else -1, x[1]),
        )
        clusters = Counter(int(c) for c in items.cluster[rows] if c >= 0)
        top_cluster = min(clusters, key=lambda c: (-clusters[c], c)) if clusters else None
        cluster_keywords = cluster_words.get(top_cluster, []) if top_cluster is not None else []
        # Eight words to show, from the campaign's own texts; the category guess reads
        # twenty of them and, as before, its largest cluster's words.
        keywords = own[:8]
        # Public reports about the same near-duplicate texts, from anyone.
        about = [(rid, cat) for rid, cat, g in reports if g in groups]
        public = {rid for rid, _ in about}
        deployers = {d for d, _, _ in per_account if d is not None}
        explanation = _explain(
            community,
            len(deployers),
            len(rows),
            keywords,
            len(public),
            float((items.offensive[rows] >= 0.5).mean()),
            float(detector.window_),
        )
        found.append(
            CampaignCandidate(
                score=float(community["score"]),
                accounts=per_account,
                log_ids=sorted(int(i) for i in items.id[rows[is_log]]),
                report_ids=sorted({int(i) for i in items.id[rows[~is_log]]} | public),
                # The span of the campaign's own material, as its explanation gives it
                # (not of common answers some of its accounts also gave, days away).
                first_seen=datetime.fromtimestamp(float(community["first_time"]), UTC),
                last_seen=datetime.fromtimestamp(float(community["last_time"]), UTC),
                explanation=explanation,
                category_guess=_category(Counter(cat for _, cat in about), own + cluster_keywords),
                keywords=keywords,
                features={k: round(float(v), 4) for k, v in community["features"].items()},
            )
        )
    return found
