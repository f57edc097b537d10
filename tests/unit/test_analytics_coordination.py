"""Coordinated campaigns among organic traffic, viral topics and a heavy user.

A synthetic week (fixed seed): thousands of organic accounts with a daily
rhythm post mostly unique texts plus popular topics spread over days; planted
campaigns (tens of accounts on two deployers) post paraphrases into a few
shared groups in hour-long bursts; an organic-virality decoy (500 accounts,
one story, three days) and a single heavy user must not be flagged.
"""

import numpy as np
import pytest

from analytics.coordination import CoordinationDetector, estimate_window

T0 = 1_709_510_400.0  # Monday 2024-03-04 00:00 UTC
DAY = 86400.0
HOUR = 3600.0


def _daily_times(rng, n, start=T0, days=7):
    """Times with a daily rhythm: quiet at night, busy in the evening."""
    day = rng.integers(0, days, n)
    hour = np.clip(rng.normal(15, 4.5, n), 0, 23.99)
    return start + day * DAY + hour * HOUR


def scenario(seed=0, n_accounts=3000, n_campaigns=3):
    rng = np.random.default_rng(seed)
    account, group, time, deployer = [], [], [], []
    next_group = [1_000_000]

    def add(acc, grp, t, dep):
        account.extend(acc)
        group.extend(np.asarray(grp).tolist())
        time.extend(np.asarray(t).tolist())
        deployer.extend(dep)

    def fresh_groups(n):
        out = np.arange(next_group[0], next_group[0] + n)
        next_group[0] += n
        return out

    # Organic background: heavy-tailed activity, mostly unique texts, plus
    # popular topics that spread over a day or three.
    deps = np.where(rng.random(n_accounts) < 0.5, "alpha", "beta")
    names = [f"{deps[i]}/u{i}" for i in range(n_accounts)]
    activity = np.minimum(rng.lognormal(1.6, 0.8, n_accounts).astype(int) + 1, 80)
    n_topics = 60
    topic_centre = T0 + rng.uniform(0.5, 6.5, n_topics) * DAY
    topic_spread = rng.uniform(0.5, 1.5, n_topics) * DAY
    topic_pop = 1 / np.arange(1, n_topics + 1)
    topic_pop /= topic_pop.sum()
    for i in range(n_accounts):
        k = activity[i]
        t = _daily_times(rng, k)
        g = fresh_groups(k)
        on_topic = rng.random(k) < 0.15
        topics = rng.choice(n_topics, on_topic.sum(), p=topic_pop)
        g[on_topic] = topics
        t[on_topic] = topic_centre[topics] + rng.normal(0, 1, on_topic.sum()) * topic_spread[topics]
        add([names[i]] * k, g, t, [deps[i]] * k)

    # Organic virality decoy: 500 accounts pick up one story (three
    # paraphrase groups) over three days.
    viral = [f"{'alpha' if i % 2 else 'beta'}/viral{i}" for i in range(500)]
    for i, acc in enumerate(viral):
        k = rng.integers(1, 4)
        g = 500 + rng.integers(0, 3, k)
        t = T0 + 2 * DAY + rng.gamma(2.0, 0.6 * DAY, k)
        add([acc] * k, g, t, [acc.split("/")[0]] * k)

    # Heavy single user: 600 posts over the week, many into popular topics.
    k = 600
    g = fresh_groups(k)
    hot = rng.random(k) < 0.5
    g[hot] = rng.choice(8, hot.sum())
    add(["alpha/heavy"] * k, g, _daily_times(rng, k), ["alpha"] * k)

    # Planted campaigns: tens of accounts on two deployers post paraphrases
    # into a few shared groups in bursts of about an hour, plus cover traffic.
    campaigns = []
    for c in range(n_campaigns):
        size = int(rng.integers(20, 41))
        members = [f"{'alpha' if j % 2 else 'beta'}/camp{c}_{j}" for j in range(size)]
        campaigns.append(members)
        groups = 900 + 10 * c + np.arange(int(rng.integers(3, 6)))
        for _ in range(int(rng.integers(4, 7))):
            start = _daily_times(rng, 1)[0]
            targets = rng.choice(groups, int(rng.integers(1, 3)), replace=False)
            for acc in members:
                if rng.random() < 0.8:
                    n_posts = int(rng.integers(1, 3))
                    add(
                        [acc] * n_posts,
                        rng.choice(targets, n_posts),
                        start + rng.uniform(0, HOUR, n_posts),
                        [acc.split("/")[0]] * n_posts,
                    )
        for acc in members:
            k = int(rng.integers(2, 8))
            add([acc] * k, fresh_groups(k), _daily_times(rng, k), [acc.split("/")[0]] * k)

    X = {
        "account": np.asarray(account),
        "group": np.asarray(group, dtype=np.int64),
        "time": np.asarray(time),
        "deployer": np.asarray(deployer),
    }
    return X, campaigns, set(viral), "alpha/heavy"


@pytest.fixture(scope="module")
def week():
    return scenario(seed=0)


def flagged_accounts(detector):
    return {a for c in detector.communities_ for a in c["accounts"]}


@pytest.mark.parametrize("window", [3600.0, "auto"])
def test_planted_campaigns_are_found_and_decoys_are_not(week, window):
    X, campaigns, viral, heavy = week
    detector = CoordinationDetector(window=window).fit(X)
    truth = set().union(*campaigns)
    flagged = flagged_accounts(detector)
    hits = len(flagged & truth)
    assert hits / len(flagged) >= 0.9
    assert hits / len(truth) >= 0.9
    for members in campaigns:
        # Each campaign is (mostly) one community, not smeared over several.
        best = max(len(set(members) & set(c["accounts"])) for c in detector.communities_)
        assert best >= 0.9 * len(members)
    assert not flagged & viral
    assert heavy not in flagged


def test_communities_describe_their_items(week):
    X, campaigns, _, _ = week
    detector = CoordinationDetector().fit(X)
    assert len(detector.communities_) == len(campaigns)
    scores = [c["score"] for c in detector.communities_]
    assert scores == sorted(scores, reverse=True)
    for index, community in enumerate(detector.communities_):
        items = community["items"]
        assert set(X["account"][items]) <= set(community["accounts"])
        assert np.all(detector.labels_[items] == index)
        summary = community["summary"]
        assert summary["n_deployers"] == 2
        assert summary["n_items"] == len(items)
        assert summary["n_groups"] == len(community["groups"]) >= 2
        assert summary["span_seconds"] == community["last_time"] - community["first_time"]
        assert community["features"]["synchronised_share"] > 0.9
        assert community["features"]["pair_sync"] > community["features"]["expected_pair_sync"]
    assert (detector.labels_ >= 0).sum() == sum(len(c["items"]) for c in detector.communities_)


def test_scores_rank_campaigns_above_chance_communities(week):
    X, campaigns, _, _ = week
    truth = set().union(*campaigns)
    # With no test, chance communities come in too.
    detector = CoordinationDetector(
        min_accounts=3,
        min_member_evidence=0.0,
        min_member_sources=0,
        member_link_share=0.0,
        min_evidence=0.0,
        min_sources=0.0,
        min_repetition=0.0,
        min_focus=0.0,
        min_exclusivity=0.0,
        min_concentration=0.0,
        min_sync_excess=0.0,
    )
    detector.fit(X)
    is_campaign = [
        sum(a in truth for a in c["accounts"]) > len(c["accounts"]) / 2
        for c in detector.communities_
    ]
    assert sum(is_campaign) == len(campaigns)
    assert len(is_campaign) > len(campaigns)
    campaign_scores = [c["score"] for c, k in zip(detector.communities_, is_campaign) if k]
    other_scores = [c["score"] for c, k in zip(detector.communities_, is_campaign) if not k]
    assert min(campaign_scores) > max(other_scores)


def test_auto_window_matches_the_burst_length(week):
    X, *_ = week
    window = estimate_window(X["group"], X["account"], X["time"])
    # Bursts last about an hour.
    assert 15 * 60 <= window <= 3 * 3600


def test_organic_traffic_alone_has_no_campaigns():
    X, *_ = scenario(seed=1, n_accounts=2000, n_campaigns=0)
    detector = CoordinationDetector(window="auto").fit(X)
    assert detector.communities_ == []
    assert np.all(detector.labels_ == -1)
    assert 60 <= detector.window_ <= 86400


def test_burst_work_is_bounded():
    # 10k posts by 10k accounts into one group in a single hour: a mass
    # event, not expanded into 5e7 pairs.
    rng = np.random.default_rng(0)
    n = 10_000
    X = {
        "account": np.arange(n),
        "group": np.zeros(n, dtype=np.int64),
        "time": T0 + rng.uniform(0, HOUR, n),
    }
    detector = CoordinationDetector(max_bucket_accounts=500).fit(X)
    assert detector.n_skipped_buckets_ >= 1
    assert len(detector.edges_) == 0
    assert detector.communities_ == []


def test_input_formats_agree(week):
    X, *_ = week
    records = np.rec.fromarrays(
        [X["account"], X["group"], X["time"]], names=["account", "group", "time"]
    )
    a = CoordinationDetector().fit(X)
    b = CoordinationDetector().fit(records)
    assert np.array_equal(a.labels_, b.labels_)
    with pytest.raises(ValueError, match="time"):
        CoordinationDetector().fit({"account": [1], "group": [1]})
    with pytest.raises(ValueError, match="window"):
        CoordinationDetector(window="soon").fit(X)


def _same_fit(a, b):
    assert a.window_ == b.window_
    assert np.array_equal(a.edges_, b.edges_)
    assert a.n_skipped_buckets_ == b.n_skipped_buckets_
    assert list(a.accounts_) == list(b.accounts_)
    assert np.array_equal(a.labels_, b.labels_)
    assert [c["accounts"] for c in a.communities_] == [c["accounts"] for c in b.communities_]
    for x, y in zip(a.communities_, b.communities_, strict=True):
        assert np.array_equal(x["items"], y["items"])
        assert x["score"] == y["score"] and x["features"] == y["features"]
        assert x["summary"] == y["summary"] and x["groups"] == y["groups"]


@pytest.mark.parametrize(
    "params",
    [
        {"window": 3600.0},
        # Tiny limits: new items push buckets over the limit and groups from whole
        # occasions to bursts, which changes pairs the new items are not in.
        {"window": 1800.0, "max_bucket_accounts": 30, "max_unit_accounts": 15},
    ],
)
def test_partial_fit_equals_a_fit_on_everything(week, params):
    X, *_ = week
    rng = np.random.default_rng(5)
    order = np.argsort(X["time"], kind="stable")
    X = {k: v[order] for k, v in X.items()}
    n = len(X["time"])
    first = int(n * 0.85)
    detector = CoordinationDetector(**params).fit({k: v[:first] for k, v in X.items()})
    # The rest in three batches, out of time order, as late-grouped items arrive.
    rest = rng.permutation(np.arange(first, n))
    seen = list(range(first))
    for batch in np.array_split(rest, 3):
        detector.partial_fit({k: v[batch] for k, v in X.items()})
        seen += batch.tolist()
        everything = CoordinationDetector(**params).fit({k: v[seen] for k, v in X.items()})
        _same_fit(detector, everything)
    assert detector.communities_


def test_partial_fit_keeps_the_auto_window(week):
    X, *_ = week
    n = len(X["time"])
    half = {k: v[: n // 2] for k, v in X.items()}
    detector = CoordinationDetector(window="auto").fit(half)
    window = detector.window_
    detector.partial_fit({k: v[n // 2 :] for k, v in X.items()})
    assert detector.window_ == window
    _same_fit(detector, CoordinationDetector(window=window).fit(X))
    with pytest.raises(ValueError, match="deployer"):
        detector.partial_fit({k: v[:5] for k, v in X.items() if k != "deployer"})


def test_near_in_unit_agrees_with_a_plain_search():
    from analytics.coordination import _near_in_unit

    rng = np.random.default_rng(0)
    for _ in range(200):
        n, m = int(rng.integers(0, 30)), int(rng.integers(0, 30))
        unit, time = rng.integers(0, 5, n), rng.uniform(0, 100, n)
        at_unit, at_time = rng.integers(0, 5, m), rng.uniform(0, 100, m)
        want = [
            any(unit[j] == at_unit[i] and abs(time[j] - at_time[i]) <= 7.0 for j in range(n))
            for i in range(m)
        ]
        assert _near_in_unit(unit, time, at_unit, at_time, 7.0).tolist() == want
