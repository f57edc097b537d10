"""Each piece of evidence the coordination detector keeps, pinned by a small case.

Every test builds a small store, shows the detector gets it right, and shows the same
store goes wrong when that one piece is switched off: the piece is what makes the
difference, not the rest of the method.
"""

import numpy as np

from analytics.coordination import CoordinationDetector

T0 = 1_709_510_400.0  # Monday 2024-03-04 00:00 UTC
DAY = 86400.0
HOUR = 3600.0


class Store:
    """Items of a synthetic store: account, response group, prompt group, time."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = np.random.default_rng(seed)
        self.rows: list[tuple[str, int, int, float]] = []
        self.next_group = 1_000_000

    def fresh(self) -> int:
        self.next_group += 1
        return self.next_group

    def add(self, account: str, group: int, time: float, prompt: int | None = None) -> None:
        self.rows.append((account, group, self.fresh() if prompt is None else prompt, time))

    def daily(self, days: float = 7.0) -> float:
        return (
            T0 + self.rng.integers(0, int(days)) * DAY + (self.rng.normal(15, 4, 1)[0] % 24) * HOUR
        )

    def organic(self, n_accounts: int = 600, faq_units: int = 40) -> None:
        """People with a few unique texts each, and common questions (a few dozen
        units that random people's answers fall into, all week long)."""
        for i in range(n_accounts):
            for _ in range(int(self.rng.integers(1, 8))):
                if self.rng.random() < 0.15:
                    self.add(f"org{i}", 500 + int(self.rng.integers(0, faq_units)), self.daily())
                else:
                    self.add(f"org{i}", self.fresh(), self.daily())

    def campaign(
        self, name: str, size: int, pool: int, posts: tuple[int, int], when: str
    ) -> set[str]:
        """``size`` accounts posting ``posts`` messages each from a private pool, in one
        two-hour burst or spread over the week."""
        groups = [self.fresh() for _ in range(pool)]
        start = T0 + 3 * DAY + 14 * HOUR
        members = {f"{name}{j}" for j in range(size)}
        for m in sorted(members):
            for _ in range(int(self.rng.integers(posts[0], posts[1] + 1))):
                t = start + self.rng.uniform(0, 2 * HOUR) if when == "burst" else self.daily()
                self.add(m, groups[int(self.rng.integers(0, pool))], t)
        return members

    def columns(self, prompts: bool = True) -> dict[str, np.ndarray]:
        account, group, prompt, time = zip(*self.rows, strict=True)
        out = {
            "account": np.asarray(account),
            "group": np.asarray(group, dtype=np.int64),
            "time": np.asarray(time, dtype=np.float64),
        }
        if prompts:
            out["prompt_group"] = np.asarray(prompt, dtype=np.int64)
        return out


# Every community test off.
LOOSE = {
    "min_evidence": 0.0,
    "min_sources": 0.0,
    "min_repetition": 0.0,
    "min_focus": 0.0,
    "min_exclusivity": 0.0,
    "max_template_coverage": 1.01,
    "min_concentration": 0.0,
    "min_sync_excess": 0.0,
}


def flagged(detector: CoordinationDetector) -> set[str]:
    return {a for c in detector.communities_ for a in c["accounts"]}


def test_a_drip_over_a_week_is_found_by_rare_shared_texts():
    # No burst at all: 20 accounts post 3-5 of 12 private messages over seven days.
    # A shared rare text links its posters whatever the time between them.
    store = Store(1)
    store.organic()
    members = store.campaign("drip", 20, pool=12, posts=(3, 5), when="drip")
    X = store.columns()
    found = flagged(CoordinationDetector(window=HOUR).fit(X))
    assert len(found & members) >= 18 and found <= members
    # With every unit counted through its bursts only, the drip leaves nothing.
    burst_only = CoordinationDetector(window=HOUR, max_unit_accounts=1).fit(X)
    assert not flagged(burst_only) & members


def test_a_shared_prompt_links_accounts_whose_answers_are_paraphrases():
    # The model paraphrases every answer (each text its own group), but the operators
    # sent the same few prompts.
    store = Store(2)
    store.organic()
    prompts = [store.fresh() for _ in range(6)]
    members = set()
    for j in range(15):
        for _ in range(4):
            t = T0 + 2 * DAY + 10 * HOUR + store.rng.uniform(0, 3 * HOUR)
            store.add(f"para{j}", store.fresh(), t, prompt=prompts[int(store.rng.integers(0, 6))])
        members.add(f"para{j}")
    assert len(flagged(CoordinationDetector(window=HOUR).fit(store.columns())) & members) >= 14
    without = CoordinationDetector(window=HOUR).fit(store.columns(prompts=False))
    assert not flagged(without) & members


def test_bursts_into_a_popular_group_count_and_its_steady_traffic_does_not():
    # A group hundreds of people post into all week; 25 accounts post into it within
    # half an hour on five separate days, and nowhere else.
    store = Store(3)
    store.organic()
    popular = 9_000
    for i in range(400):
        store.add(f"org{i % 600}", popular, store.daily())
    members = {f"burst{j}" for j in range(25)}
    for day in (1, 2, 4, 5, 6):
        for m in sorted(members):
            store.add(m, popular, T0 + day * DAY + 11 * HOUR + store.rng.uniform(0, HOUR / 2))
    X = store.columns()
    detector = CoordinationDetector(window=HOUR).fit(X)
    assert len(flagged(detector) & members) >= 23
    assert not {a for a in flagged(detector) if a.startswith("org")}
    # The group is too popular to count whole: without its bursts (only time cells of
    # a few accounts expanded), nothing links the 25.
    assert not flagged(CoordinationDetector(window=HOUR, max_bucket_accounts=5).fit(X)) & members


def test_accounts_met_over_one_common_question_are_not_members():
    # Eight campaign accounts; four of them also asked a common question that three
    # organic accounts asked too, which ties those three to the campaign.
    store = Store(4)
    store.organic(faq_units=400)
    members = store.campaign("camp", 8, pool=6, posts=(3, 5), when="burst")
    question = store.fresh()
    for j in range(4):
        store.add(f"camp{j}", question, T0 + DAY + j * HOUR)
    others = {f"org{i}" for i in range(3)}
    for o in sorted(others):
        store.add(o, question, store.daily())
    X = store.columns()
    found = flagged(CoordinationDetector(window=HOUR).fit(X))
    assert found == members
    # Without the member tests (two independent sources, links to the core), the
    # one shared question makes them members.
    loose = CoordinationDetector(window=HOUR, min_member_sources=0, member_link_share=0.0)
    assert flagged(loose.fit(X)) >= others


def test_a_copypasta_shared_by_hundreds_is_not_a_campaign():
    # 150 accounts each post one of three variants of a copypasta once, over days:
    # several units, but each account took part once.
    store = Store(5)
    store.organic()
    variants = [store.fresh() for _ in range(3)]
    sharers = {f"org{i}" for i in range(150)}
    for s in sorted(sharers):
        store.add(s, variants[int(store.rng.integers(0, 3))], store.daily())
        store.add(s, variants[int(store.rng.integers(0, 3))], store.daily())
    X = store.columns()
    detector = CoordinationDetector(window=HOUR).fit(X)
    assert not flagged(detector) & sharers
    # Each sharer has little evidence (a post or two), and the posts are theirs
    # alongside plenty of other people's.
    assert all(
        "min_evidence" in r["failed"] for r in detector.rejected_ if set(r["accounts"]) & sharers
    )
    # Counted whole, each variant links the sharers; only the tests keep them out.
    whole = CoordinationDetector(window=HOUR, max_unit_accounts=1000)
    assert not flagged(whole.fit(X)) & sharers
    assert (
        flagged(CoordinationDetector(**LOOSE, window=HOUR, max_unit_accounts=1000).fit(X)) & sharers
    )


def test_an_apps_users_are_not_a_campaign():
    # 50 users of a small app: every prompt is the app's template, and the answers to
    # its few common questions are identical, all week.
    store = Store(6)
    store.organic()
    template = store.fresh()
    answers = [store.fresh() for _ in range(8)]
    users = {f"app{j}" for j in range(50)}
    for u in sorted(users):
        for _ in range(int(store.rng.integers(2, 6))):
            store.add(u, answers[int(store.rng.integers(0, 8))], store.daily(), prompt=template)
    X = store.columns()
    detector = CoordinationDetector(window=HOUR).fit(X)
    assert not flagged(detector) & users
    assert any("max_template_coverage" in r["failed"] for r in detector.rejected_)
    assert flagged(CoordinationDetector(window=HOUR, max_template_coverage=1.01).fit(X)) & users


def test_people_who_ask_the_same_common_questions_are_not_a_campaign():
    # 250 speakers of a language few others write in: their common questions get the
    # same answers, so they share many units, used by no one else, at random times.
    store = Store(7)
    store.organic()
    units = [store.fresh() for _ in range(400)]
    speakers = {f"lang{j}" for j in range(250)}
    for sp in sorted(speakers):
        for _ in range(int(store.rng.integers(4, 10))):
            store.add(sp, units[int(store.rng.integers(0, 400))], store.daily())
    X = store.columns()
    detector = CoordinationDetector(window=HOUR).fit(X)
    assert not flagged(detector) & speakers
    # Each part Louvain makes of them drew from a wide range of common questions
    # (low concentration) or shares them with the rest of the speakers (low
    # exclusivity), at random times.
    for r in detector.rejected_:
        if len(set(r["accounts"]) & speakers) >= 20:
            assert {"min_concentration or min_sync_excess", "min_exclusivity"} & set(r["failed"])
    assert flagged(CoordinationDetector(**LOOSE, window=HOUR).fit(X)) & speakers
