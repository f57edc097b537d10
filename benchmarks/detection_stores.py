"""Stores for the campaign-detection evaluation: real organic traffic, planted campaigns
of many shapes, and organic look-alikes that must not be flagged.

Written independently of ``demo/scenario.py`` (the generator the detector was first
built on), so that the evaluation measures how detection generalises, not how well it
fits one generator.

*Organic background* comes from real public text in ``../shared/data``: tweets of the
Davidson et al. hate/offensive set, XSTest prompts with five models' completions and
JailbreakBench prompts with the target models' responses. Each text is used once.
Organic accounts chat in sessions (a few records within minutes) at a daily rhythm, with
heavy-tailed activity, at three deployers; some write in German or Spanish
(``benchmarks/eval_texts.py`` writes those exchanges).

*Campaigns* vary one dimension at a time from a default shape (40 accounts, 2-6 posts
each, a pool of 25 messages, light edits, one 5-hour burst, one deployer, varied
prompts, English), and four more per seed mix random values of every dimension (shapes
no one tuned on). Half of the campaign accounts also chat organically now and then.

*Decoys*: organic virality over days, a breaking-news burst (hundreds of organic
accounts writing their own words within two hours), a heavy user, one deployer's app
that sends the same long template for every user, and a copypasta shared organically.

*IRA store*: every English tweet of Oct-Nov 2016 by the Internet Research Agency
accounts (Linvill & Warren's coding), mixed into two months of the organic traffic
above; the IRA accounts are the campaigns, labelled by ``account_category``.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import html
import json
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import eval_texts as texts

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DAY = 86400.0
HOUR = 3600.0
# The shape stores cover eight days from here; the IRA store its tweets' two months.
START = datetime(2026, 10, 5, tzinfo=UTC).timestamp()
SPAN_DAYS = 8
DEPLOYERS = ("atlas-ai", "birch-labs", "cobalt-chat")
DEPLOYER_SHARE = (0.5, 0.3, 0.2)
MODELS = {
    "atlas-ai": ("atlas-chat-2", "atlas-chat-2-mini"),
    "birch-labs": ("birch-7b-instruct",),
    "cobalt-chat": ("cobalt-large", "cobalt-small"),
}

# -- campaign shapes ------------------------------------------------------------------

DIMENSIONS: dict[str, tuple[Any, ...]] = {
    "accounts": (8, 15, 40, 150),
    "posts": ((1, 2), (2, 6), (10, 30)),
    "pool": (3, 25, 100),
    "variation": ("exact", "light", "paraphrase"),
    "timing": ("burst30m", "burst5h", "3bursts", "drip"),
    "deployers": (1, 3),
    "prompts": ("varied", "shared"),
    "language": ("en", "de", "es"),
}
DEFAULT_SHAPE: dict[str, Any] = {
    "accounts": 40,
    "posts": (2, 6),
    "pool": 25,
    "variation": "light",
    "timing": "burst5h",
    "deployers": 1,
    "prompts": "varied",
    "language": "en",
}
N_MIXED = 4


@dataclass(frozen=True)
class Shape:
    name: str
    accounts: int
    posts: tuple[int, int]
    pool: int
    variation: str
    timing: str
    deployers: int
    prompts: str
    language: str

    @property
    def required(self) -> bool:
        """The issue's target: every shape with >= 8 accounts and >= 2 posts each."""
        return self.accounts >= 8 and self.posts[0] >= 2

    def describe(self) -> str:
        lo, hi = self.posts
        return (
            f"{self.accounts} acc, {lo}-{hi} posts, pool {self.pool}, {self.variation}, "
            f"{self.timing}, {self.deployers} dep, {self.prompts} prompts, {self.language}"
        )


def shapes_for_seed(seed: int) -> list[Shape]:
    """The default shape, every one-dimension variation of it, and N_MIXED random mixes
    (different for every seed)."""
    out = [Shape("default", **DEFAULT_SHAPE)]
    for dim, values in DIMENSIONS.items():
        for v in values:
            if v == DEFAULT_SHAPE[dim]:
                continue
            label = f"{v[0]}-{v[1]}" if isinstance(v, tuple) else str(v)
            out.append(Shape(f"{dim}={label}", **{**DEFAULT_SHAPE, dim: v}))
    rng = random.Random(f"mix-{seed}")
    for i in range(N_MIXED):
        params = {dim: rng.choice(values) for dim, values in DIMENSIONS.items()}
        out.append(Shape(f"mix-{i + 1}", **params))
    return out


# -- records --------------------------------------------------------------------------


@dataclass
class Store:
    """Log records per deployer, and who is who."""

    records: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {d: [] for d in DEPLOYERS}
    )
    campaigns: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> info, accounts
    decoys: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    organic: set[tuple[str, str]] = field(default_factory=set)
    _n: int = 0

    def add(
        self, deployer: str, account: str, t: float, prompt: str, response: str, rng: random.Random
    ) -> None:
        self._n += 1
        self.records[deployer].append(
            {
                "external_id": f"r{self._n:07d}",
                "timestamp": datetime.fromtimestamp(t, UTC).isoformat().replace("+00:00", "Z"),
                "model": rng.choice(MODELS[deployer]),
                "account_id": account,
                "prompt": prompt,
                "response": response,
            }
        )

    def count(self) -> int:
        return self._n

    def campaign_accounts(self) -> set[tuple[str, str]]:
        return set().union(*(set(map(tuple, c["accounts"])) for c in self.campaigns.values()))

    def truth(self) -> dict[str, Any]:
        """What the evaluation scores against, as JSON."""
        return {
            "campaigns": self.campaigns,
            "decoys": {k: sorted(v) for k, v in self.decoys.items()},
            "organic": sorted(self.organic),
        }

    def write(self, folder: Path) -> dict[str, Path]:
        folder.mkdir(parents=True, exist_ok=True)
        paths = {}
        for deployer, rows in self.records.items():
            rows.sort(key=lambda r: r["timestamp"])
            path = folder / f"{deployer}.jsonl"
            with path.open("w", encoding="utf-8") as f:
                for r in rows:
                    f.write(json.dumps(r, ensure_ascii=False) + "\n")
            paths[deployer] = path
        (folder / "truth.json").write_text(json.dumps(self.truth()), encoding="utf-8")
        return paths


def account_name(rng: random.Random) -> str:
    """Pseudonymous ids as deployers send them; campaign and organic ones look alike."""
    return f"u-{rng.getrandbits(40):010x}"


# -- organic background ---------------------------------------------------------------

TWEET_ASKS = (
    "Write a tweet for me",
    "Make this tweet funnier",
    "Fix the spelling in my tweet",
    "Reply to this for me",
    "Something to post tonight",
    "Rewrite my post so it's shorter",
    "Give me a savage comeback",
    "Help me word this tweet",
    "Caption for my post",
    "Make it sound cooler",
    "Turn this into a tweet",
    "Edit my status update",
    "Write something I can post",
    "Post idea please",
    "Punch this up a bit",
    "Make this less awkward",
    "Write a reply to my friend",
    "Finish my tweet",
)


class Background:
    """Organic (prompt, response) pairs from the real data sets, each used once
    (recycled only when a store needs more than there are)."""

    def __init__(self, rng: random.Random, data: Path = DATA) -> None:
        self.rng = rng
        tweets = _davidson(data)
        exchanges = _xstest(data) + _jailbreakbench(data)
        rng.shuffle(tweets)
        rng.shuffle(exchanges)
        self._tweets, self._exchanges = tweets, exchanges
        self._ti = self._ei = 0

    def english(self) -> tuple[str, str]:
        if self.rng.random() < 0.8:
            tweet = self._tweets[self._ti % len(self._tweets)]
            self._ti += 1
            return self.rng.choice(TWEET_ASKS), tweet
        pair = self._exchanges[self._ei % len(self._exchanges)]
        self._ei += 1
        return pair

    def exchange(self, language: str) -> tuple[str, str]:
        if language == "en":
            return self.english()
        return texts.organic_exchange(language, self.rng)


def _davidson(data: Path) -> list[str]:
    path = data / "davidson-hate-offensive" / "labeled_data.csv"
    with path.open(encoding="utf-8", newline="") as f:
        out = [html.unescape(r["tweet"]).strip() for r in csv.DictReader(f)]
    return [t for t in dict.fromkeys(out) if t]


def _xstest(data: Path) -> list[tuple[str, str]]:
    out = []
    for path in sorted((data / "xstest" / "model_completions").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            out.extend(
                (r["prompt"], r["completion"]) for r in csv.DictReader(f) if r["completion"].strip()
            )
    return out


def _jailbreakbench(data: Path) -> list[tuple[str, str]]:
    path = data / "jailbreakbench-artifacts" / "jbb_artifacts_flat.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return [(r["prompt"], r["response"]) for r in csv.DictReader(f) if r["response"].strip()]


def daily_time(rng: random.Random, day_start: float) -> float:
    """A moment of one day, more often in the afternoon and evening than at night."""
    while True:
        hour = rng.uniform(0, 24)
        # Activity from ~0.15 at 4am to 1.0 at 8pm.
        if rng.random() < 0.575 - 0.425 * math.cos((hour - 20) / 24 * 2 * math.pi + math.pi):
            return day_start + hour * HOUR


def organic_traffic(
    store: Store,
    bg: Background,
    rng: random.Random,
    *,
    accounts: int,
    start: float,
    days: int,
    languages: dict[str, int],
) -> list[tuple[str, str]]:
    """Organic accounts chatting in sessions; returns the accounts (deployer, id)."""
    made: list[tuple[str, str]] = []
    plan = [("en", accounts), *languages.items()]
    for language, n in plan:
        for _ in range(n):
            deployer = rng.choices(DEPLOYERS, DEPLOYER_SHARE)[0]
            acc = account_name(rng)
            made.append((deployer, acc))
            # Heavy-tailed: most accounts a session or two, a few dozens.
            sessions = min(int(rng.paretovariate(1.6)), 40)
            for _ in range(sessions):
                t = daily_time(rng, start + rng.randrange(days) * DAY)
                for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4))):
                    prompt, response = bg.exchange(language)
                    store.add(deployer, acc, t, prompt, response, rng)
                    t += rng.uniform(20, 400)
    store.organic.update(made)
    return made


# -- campaigns ------------------------------------------------------------------------


def _themes(language: str) -> list[texts.Theme]:
    return [t for t in texts.CAMPAIGN_THEMES if t.language == language]


def _burst_times(
    shape: Shape, rng: random.Random, start: float, days: int, n_posts: list[int]
) -> list[list[float]]:
    """Post times per account for the shape's timing."""
    out = []
    if shape.timing in ("burst30m", "burst5h"):
        length = 1800.0 if shape.timing == "burst30m" else 5 * HOUR
        begin = start + rng.uniform(0.5 * DAY, (days - 0.5) * DAY - length)
        for k in n_posts:
            out.append(sorted(begin + rng.uniform(0, length) for _ in range(k)))
    elif shape.timing == "3bursts":
        day_list = sorted(rng.sample(range(days - 1), 3))
        bursts = [daily_time(rng, start + d * DAY) for d in day_list]
        for k in n_posts:
            # Every account joins two or three of the bursts.
            mine = rng.sample(bursts, rng.choice((2, 3, 3)))
            out.append(sorted(rng.choice(mine) + rng.uniform(0, HOUR) for _ in range(k)))
    else:  # drip: a week, at the daily rhythm, no two of an account's posts together
        first_day = rng.randrange(max(days - 7, 1))
        for k in n_posts:
            out.append(
                sorted(
                    daily_time(rng, start + (first_day + rng.randrange(7)) * DAY) for _ in range(k)
                )
            )
    return out


def plant_campaign(
    store: Store,
    bg: Background,
    shape: Shape,
    theme: texts.Theme,
    rng: random.Random,
    *,
    start: float,
    days: int,
    camouflage: float = 0.5,
) -> None:
    """One campaign of this shape pushing this theme."""
    deployers = (
        [rng.choice(DEPLOYERS)] if shape.deployers == 1 else list(DEPLOYERS[: shape.deployers])
    )
    accounts = [(deployers[i % len(deployers)], account_name(rng)) for i in range(shape.accounts)]
    pool = texts.message_pool(theme, shape.pool, rng)
    template = rng.choice(texts.SHARED_PROMPT_TEMPLATES) if shape.prompts == "shared" else None
    n_posts = [rng.randint(*shape.posts) for _ in accounts]
    times = _burst_times(shape, rng, start, days, n_posts)
    for (deployer, acc), when in zip(accounts, times, strict=True):
        for t in when:
            message = rng.choice(pool)
            base = texts.render(theme, message)
            if shape.variation == "exact":
                text = base
            elif shape.variation == "light":
                text = texts.light_edit(base, rng)
            else:
                text = texts.paraphrase(theme, message, rng)
            # The operator asks for the message; the model's answer is what varies.
            prompt = texts.operator_prompt(theme, base, rng, shared_template=template)
            store.add(deployer, acc, t, prompt, text, rng)
        if rng.random() < camouflage:
            # Some campaign accounts also use the assistant for ordinary things.
            for _ in range(rng.randint(1, 4)):
                prompt, response = bg.exchange("en")
                store.add(
                    deployer,
                    acc,
                    daily_time(rng, start + rng.randrange(days) * DAY),
                    prompt,
                    response,
                    rng,
                )
    store.campaigns[shape.name] = {
        "shape": shape.__dict__ | {"posts": list(shape.posts)},
        "required": shape.required,
        "theme": theme.key,
        "accounts": [list(a) for a in accounts],
        "records": sum(n_posts),
    }


# -- decoys ---------------------------------------------------------------------------


def decoys(
    store: Store,
    organic: list[tuple[str, str]],
    rng: random.Random,
    *,
    start: float,
    days: int,
    bg: Background,
) -> None:
    """The organic look-alikes: each must stay unflagged."""
    english = [a for a in organic]
    rng.shuffle(english)
    used = 0

    def take(n: int) -> list[tuple[str, str]]:
        nonlocal used
        out = english[used : used + n]
        used += n
        return out

    # Organic virality: a post shared by hundreds over three days, rising and fading.
    viral = rng.choice(texts.VIRAL_POSTS)
    peak = start + rng.uniform(1.5, days - 3.5) * DAY
    sharers = take(250)
    for dep, acc in sharers:
        for _ in range(rng.choice((1, 1, 1, 2))):
            t = peak + rng.gammavariate(2.0, 0.5 * DAY) - 0.6 * DAY
            store.add(
                dep,
                acc,
                t,
                rng.choice(
                    (
                        "Share this",
                        "Rewrite this post",
                        "Make this shorter",
                        "Translate to plain English",
                    )
                ),
                texts.light_edit(viral, rng) if rng.random() < 0.4 else viral,
                rng,
            )
    store.decoys["virality"] = set(sharers)

    # Breaking news: hundreds of people, their own words, within two hours.
    event = rng.choice(texts.BREAKING_EVENTS)
    begin = start + rng.uniform(1, days - 1) * DAY
    crowd = take(300)
    for dep, acc in crowd:
        t = begin + rng.expovariate(1 / (35 * 60))
        for _ in range(rng.choice((1, 1, 1, 1, 2, 2, 3))):
            store.add(
                dep,
                acc,
                min(t, begin + 2 * HOUR),
                rng.choice(
                    (
                        "Help me word this",
                        "Write a quick post",
                        "Post this",
                        "Fix my grammar",
                        "Make this a tweet",
                    )
                ),
                texts.breaking_news_text(event, rng),
                rng,
            )
            t += rng.uniform(120, 1800)
    store.decoys["breaking_news"] = set(crowd)

    # A copypasta passed around for days, in small waves as it is reshared.
    pasta = rng.choice(texts.COPYPASTAS)
    waves = [start + rng.uniform(0.5, days - 1) * DAY for _ in range(4)]
    sharers = take(200)
    for dep, acc in sharers:
        t = rng.choice(waves) + rng.expovariate(1 / (6 * HOUR))
        store.add(
            dep,
            acc,
            t,
            rng.choice(("lol post this", "Share this", "make this funnier")),
            texts.light_edit(pasta, rng) if rng.random() < 0.5 else pasta,
            rng,
        )
    store.decoys["copypasta"] = set(sharers)

    # A heavy user: hundreds of records all week, into every popular topic too.
    dep, acc = "atlas-ai", account_name(rng)
    for _ in range(400):
        t = daily_time(rng, start + rng.randrange(days) * DAY)
        r = rng.random()
        if r < 0.08:
            store.add(dep, acc, t, "Share this", viral, rng)
        elif r < 0.14:
            store.add(dep, acc, t, "lol post this", pasta, rng)
        else:
            prompt, response = bg.english()
            store.add(dep, acc, t, prompt, response, rng)
    store.decoys["heavy_user"] = {(dep, acc)}
    store.organic.add((dep, acc))

    # One deployer's app: the same long template before every user's question, and its
    # boilerplate around every answer.
    app = rng.choice(texts.APPS)
    users = [("cobalt-chat", account_name(rng)) for _ in range(400)]
    for dep, acc in users:
        for _ in range(rng.choice((1, 1, 2, 3, 5))):
            prompt, response = texts.app_exchange(app, rng)
            store.add(
                dep, acc, daily_time(rng, start + rng.randrange(days) * DAY), prompt, response, rng
            )
    store.decoys["app_template"] = set(users)
    store.organic.update(users)


# -- stores ---------------------------------------------------------------------------


def shape_store(seed: int, *, organic_accounts: int = 3500, data: Path = DATA) -> Store:
    """One store per seed: organic background, every shape, every decoy."""
    rng = random.Random(seed)
    store = Store()
    bg = Background(random.Random(f"bg-{seed}"), data)
    organic = organic_traffic(
        store,
        bg,
        rng,
        accounts=organic_accounts,
        start=START,
        days=SPAN_DAYS,
        languages={"de": 250, "es": 250},
    )
    decoys(store, organic[:organic_accounts], rng, start=START, days=SPAN_DAYS, bg=bg)
    themes: dict[str, list[texts.Theme]] = {lang: [] for lang in DIMENSIONS["language"]}
    for shape in shapes_for_seed(seed):
        if not themes[shape.language]:
            # Every theme once before any is used again (only the few German and
            # Spanish ones can run out, when several mixed shapes draw them).
            themes[shape.language] = _themes(shape.language)
            rng.shuffle(themes[shape.language])
        theme = themes[shape.language].pop()
        plant_campaign(store, bg, shape, theme, rng, start=START, days=SPAN_DAYS)
    return store


IRA_FILE = DATA / "ira-troll-tweets" / "ira_tweets_en_2016-10_2016-11.csv.gz"
IRA_START = datetime(2016, 10, 1, tzinfo=UTC).timestamp()
IRA_DAYS = 61


def ira_rows(path: Path = IRA_FILE) -> Iterator[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        yield from csv.DictReader(f)


IRA_HALVES = ("all", "tune", "held-out")


def ira_half(author_id: str) -> str:
    """The half an IRA account belongs to, the same for every seed: the detector is
    tuned on one half's accounts and measured on the other's."""
    return (
        "tune"
        if int(hashlib.sha256(f"half/{author_id}".encode()).hexdigest()[:8], 16) % 2
        else "held-out"
    )


def ira_store(
    seed: int, *, half: str = "all", organic_accounts: int = 6000, data: Path = DATA
) -> Store:
    """Every English IRA tweet of Oct-Nov 2016 in two months of organic traffic; with
    ``half`` "tune" or "held-out", only that half of the IRA accounts."""
    if half not in IRA_HALVES:
        raise ValueError(f"half must be one of {IRA_HALVES}, not {half!r}")
    rng = random.Random(f"ira-{seed}")
    store = Store()
    bg = Background(random.Random(f"ira-bg-{seed}"), data)
    organic = organic_traffic(
        store,
        bg,
        rng,
        accounts=organic_accounts,
        start=IRA_START,
        days=IRA_DAYS,
        languages={"de": 400, "es": 400},
    )
    decoys(store, organic[:organic_accounts], rng, start=IRA_START, days=IRA_DAYS, bg=bg)
    by_author: dict[str, dict[str, Any]] = {}
    for row in ira_rows(data / "ira-troll-tweets" / IRA_FILE.name):
        author = row["author_id"]
        if half != "all" and ira_half(author) != half:
            continue
        if author not in by_author:
            # A pseudonym, as a deployer would send it, at one of the deployers.
            digest = hashlib.sha256(f"{seed}/{author}".encode()).hexdigest()
            by_author[author] = {
                "account": (DEPLOYERS[int(digest[:2], 16) % 3], f"u-{digest[2:12]}"),
                "category": row["account_category"],
            }
        dep, acc = by_author[author]["account"]
        t = datetime.strptime(row["publish_date"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
        # Minute resolution upstream: spread within the minute.
        store.add(
            dep,
            acc,
            t.timestamp() + rng.uniform(0, 60),
            rng.choice(TWEET_ASKS),
            row["content"],
            rng,
        )
    categories: dict[str, list[list[str]]] = {}
    for info in by_author.values():
        categories.setdefault(info["category"], []).append(list(info["account"]))
    for category, accounts in categories.items():
        store.campaigns[f"ira:{category}"] = {
            "shape": None,
            "required": False,
            "theme": category,
            "accounts": accounts,
            "records": None,
        }
    return store
