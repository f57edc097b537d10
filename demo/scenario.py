"""Synthetic but realistic traffic with planted campaigns and decoys.

Used by the demo data, the tests and the benchmarks, so that all three exercise
the same situations: organic traffic with a daily rhythm, coordinated
campaigns (tens of accounts, paraphrased texts, bursts, two deployers), organic
virality (many unrelated accounts on one topic over days) and a single heavy
user. Every text is written here; nothing is copied from third-party data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

SUBJECTS = [
    "my landlord",
    "the city council",
    "our school board",
    "a local bakery",
    "the football club",
    "my dentist",
    "the new bike lanes",
    "the library",
    "a hiking trail",
    "the recycling rules",
    "my phone plan",
    "a train delay",
    "the farmers market",
    "a jazz concert",
    "the museum",
    "my garden",
    "a recipe",
    "the weather",
    "a job interview",
    "my cat",
    "a chess opening",
    "tax forms",
]
ASKS = [
    "Write a short note about",
    "Summarise what people say about",
    "Draft a polite email about",
    "Give me three tips on",
    "Explain in simple words",
    "Make a list about",
    "Write a friendly reminder about",
    "Compose a tweet about",
]
TONES = ["cheerful", "neutral", "formal", "funny", "careful", "warm", "brief", "detailed"]

CAMPAIGN_MESSAGES = {
    "disinformation": [
        "BREAKING: the {place} election has been moved to Wednesday. Ballots cast on "
        "Tuesday will not be counted. Share before they delete this!",
        "Officials confirm voting machines in {place} were pre-loaded with 40,000 votes. "
        "The media is silent. Spread the word!",
    ],
    "fraud": [
        "Congratulations! Your {place} Savings account won a $500 reward. Claim it today by "
        "confirming your card details at the secure link.",
        "Final notice: your {place} parcel is held at customs. Pay the $2.99 release fee now "
        "or it will be returned to sender.",
    ],
    "hate_speech": [
        "People from {place} are ruining this country. They are parasites living off our "
        "taxes and should be sent back where they came from.",
    ],
}
PLACES = ["Riverton", "Lakeside", "Hillview", "Maplewood", "Fairhaven", "Brookfield"]
VIRAL_TOPIC = (
    "The total solar eclipse next month will be visible from {place}; bring "
    "proper eclipse glasses and never look at the sun directly."
)
EDITS = [
    lambda t, r: t,
    lambda t, r: t.upper() if r.random() < 0.3 else t,
    lambda t, r: t.replace("!", "!!"),
    lambda t, r: t + " " + r.choice(["#truth", "#wakeup", "#share", "RT!", "👇"]),
    lambda t, r: r.choice(["URGENT: ", "PLEASE READ: ", "FYI ", ""]) + t,
    lambda t, r: t.replace(". ", ", "),
]


@dataclass
class Scenario:
    """Log records per deployer, and the ground truth to score detection against."""

    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    campaigns: list[set[tuple[str, str]]] = field(default_factory=list)  # (deployer, account)
    viral_accounts: set[tuple[str, str]] = field(default_factory=set)
    heavy_user: tuple[str, str] | None = None

    @property
    def campaign_accounts(self) -> set[tuple[str, str]]:
        return set().union(*self.campaigns) if self.campaigns else set()

    def count(self) -> int:
        return sum(len(v) for v in self.records.values())


def daily_rhythm(hour: Any) -> Any:
    """How busy ``hour`` (0 to 24) is, from 0.25 at night to 1 in the evening.

    Times drawn uniformly and kept with this probability follow the daily rhythm;
    ``hour`` may be a number or a numpy array (the benchmarks draw in bulk).
    """
    return 0.25 + 0.75 * np.sin(np.pi * np.maximum(0.0, hour - 6) / 18) ** 2


def _daily_time(start: datetime, days: float, rng: random.Random) -> datetime:
    """A time with a daily rhythm: busier in the afternoon and evening."""
    while True:
        t = rng.uniform(0, days * 86400)
        hour = (t % 86400) / 3600
        if rng.random() < daily_rhythm(hour):
            return start + timedelta(seconds=t)


def build_scenario(
    *,
    seed: int = 1,
    organic_accounts: int = 800,
    organic_posts: int = 6000,
    campaigns: int = 3,
    campaign_accounts: int = 24,
    days: float = 7.0,
    deployers: tuple[str, str] = ("acme-ai", "nimbus-labs"),
    start: datetime | None = None,
    surge_at_end: bool = False,
) -> Scenario:
    rng = random.Random(seed)
    start = start or datetime(2026, 11, 9, tzinfo=UTC)
    sc = Scenario(records={d: [] for d in deployers})
    counter = 0

    def add(deployer: str, account: str, when: datetime, prompt: str, response: str) -> None:
        nonlocal counter
        counter += 1
        sc.records[deployer].append(
            {
                "external_id": f"{deployer[:4]}-{counter:08d}",
                "timestamp": when.isoformat(),
                "model": rng.choice(["chat-large:2.1", "chat-small:1.4"]),
                "account_id": account,
                "prompt": prompt,
                "response": response,
            }
        )

    # Organic traffic: many accounts, mostly distinct texts, daily rhythm.
    accounts = [(rng.choice(deployers), f"user-{i:05d}") for i in range(organic_accounts)]
    weights = [rng.paretovariate(1.5) for _ in accounts]
    for _ in range(organic_posts):
        dep, acc = rng.choices(accounts, weights)[0]
        subject, ask, tone = rng.choice(SUBJECTS), rng.choice(ASKS), rng.choice(TONES)
        n = rng.randint(2, 999)
        add(
            dep,
            acc,
            _daily_time(start, days, rng),
            f"{ask} {subject}, in a {tone} tone.",
            f"Here is a {tone} take on {subject} (note {n}): people mention the timing, the "
            f"cost and the staff; overall views on {subject} differ from week to week.",
        )

    # Planted campaigns: tens of accounts on both deployers, paraphrases, in bursts.
    kinds = list(CAMPAIGN_MESSAGES)
    for c in range(campaigns):
        kind = kinds[c % len(kinds)]
        members = {
            (deployers[i % 2], f"{kind[:4]}-{c}-{i:03d}")
            for i in range(campaign_accounts + rng.randint(-4, 4))
        }
        sc.campaigns.append(members)
        place = PLACES[c % len(PLACES)]
        n_bursts = rng.randint(3, 5)
        for burst in range(n_bursts + (1 if surge_at_end and c == 0 else 0)):
            if burst < n_bursts:
                burst_start = _daily_time(start, days - 0.2, rng)
            else:
                # One more burst in the last hours, so the latest windows hold a surge
                # that the anomaly detector raises as an alert, as a live feed would.
                burst_start = start + timedelta(days=days, hours=-3)
            template = rng.choice(CAMPAIGN_MESSAGES[kind]).format(place=place)
            for dep, acc in members:
                for _ in range(rng.randint(1, 3)):
                    text = rng.choice(EDITS)(template, rng)
                    add(
                        dep,
                        acc,
                        burst_start + timedelta(minutes=rng.uniform(0, 50)),
                        f"Rewrite this so it sounds authentic: {template[:60]}",
                        text,
                    )

    # Decoy 1, organic virality: hundreds of unrelated accounts, one topic, over days.
    viral = rng.sample(accounts, min(len(accounts), 300))
    for dep, acc in viral:
        sc.viral_accounts.add((dep, acc))
        add(
            dep,
            acc,
            _daily_time(start, days, rng),
            "Tell me about the eclipse.",
            rng.choice(EDITS)(VIRAL_TOPIC.format(place=rng.choice(PLACES)), rng),
        )

    # Decoy 2, a single heavy user repeating near-identical requests all week.
    heavy = (deployers[0], "power-user-0001")
    sc.heavy_user = heavy
    for _ in range(400):
        add(
            heavy[0],
            heavy[1],
            _daily_time(start, days, rng),
            "Daily stand-up summary",
            "Stand-up summary: yesterday I finished the report, today I review pull "
            f"requests, no blockers. Ticket {rng.randint(100, 140)}.",
        )
    for rows in sc.records.values():
        rows.sort(key=lambda r: r["timestamp"])
    return sc


def score_detection(sc: Scenario, found: list[set[tuple[str, str]]]) -> dict[str, Any]:
    """Account-level precision and recall, campaigns found, decoys flagged."""
    flagged = set().union(*found) if found else set()
    truth = sc.campaign_accounts
    tp = len(flagged & truth)
    return {
        "account_precision": tp / len(flagged) if flagged else 1.0,
        "account_recall": tp / len(truth) if truth else 1.0,
        "campaigns_found": sum(
            1 for c in sc.campaigns if any(len(c & f) >= 0.5 * len(c) for f in found)
        ),
        "campaigns_planted": len(sc.campaigns),
        "viral_decoy_flagged": len(flagged & sc.viral_accounts - truth) >= 5,
        "heavy_user_flagged": sc.heavy_user in flagged,
    }
