"""Window features and anomaly scoring on a synthetic month with a planted burst."""

import numpy as np
import pytest

from analytics.anomaly import AnomalyScorer, window_features

T0 = 1_709_510_400.0  # 2024-03-04 00:00 UTC
DAY = 86400.0
HOUR = 3600.0


def month(seed=0):
    """60 topics with steady organic traffic; on day 25 topic 7 gets 300 posts
    from 250 brand-new accounts within an hour."""
    rng = np.random.default_rng(seed)
    rate = rng.lognormal(2.0, 0.7, 60)
    entity, time, account = [], [], []
    for topic in range(60):
        for day in range(30):
            k = rng.poisson(rate[topic])
            entity += [topic] * k
            time += list(T0 + day * DAY + np.clip(rng.normal(15, 4, k), 0, 23.99) * HOUR)
            account += list(rng.integers(0, 4000, k))
    entity += [7] * 300
    time += list(T0 + 25 * DAY + 14 * HOUR + rng.uniform(0, HOUR, 300))
    account += list(10_000 + rng.integers(0, 250, 300))
    n = len(time)
    return {
        "entity": np.asarray(entity),
        "time": np.asarray(time),
        "account": np.asarray(account),
        "deployer": rng.integers(0, 3, n),
        "offensive": rng.beta(1, 9, n),
        "is_report": rng.random(n) < 0.1,
    }


def test_window_features_by_hand():
    entity = ["a", "a", "a", "a", "b", "a"]
    time = [0.0, 10.0, 20.0, 30.0, 60.0, 100.0]
    account = [1, 1, 2, 3, 1, 4]
    wf = window_features(
        entity,
        time,
        window=50.0,
        start=0.0,
        account=account,
        is_report=[True, False, False, False, False, True],
        sub_windows=5,
    )
    row = {(e, s): x for e, s, x in zip(wf.entities, wf.window_starts, wf.X)}
    f = {name: i for i, name in enumerate(wf.feature_names)}
    a0, a2, b0 = row[("a", 0.0)], row[("a", 100.0)], row[("b", 50.0)]
    assert a0[f["volume"]] == 4 and a0[f["distinct_accounts"]] == 3
    assert a0[f["burstiness"]] == pytest.approx(-1.0)  # evenly spaced
    assert a0[f["peak_ratio"]] == pytest.approx(1.25)  # 1 of 4 per sub-window, 5 sub-windows
    assert a0[f["report_ratio"]] == pytest.approx(1 / 4)
    assert a0[f["new_account_share"]] == pytest.approx(1.0)
    assert b0[f["new_account_share"]] == 0.0  # account 1 was first seen a window earlier
    # The window before a2 is empty, so growth compares with zero volume.
    assert a2[f["growth"]] == pytest.approx(np.log2(2 / 1))
    assert a2[f["new_account_share"]] == 1.0


def test_a_subset_of_entities_gets_the_rows_it_would_get_among_all():
    data = month()
    kwargs = {"window": DAY, "start": 0.0, "deployer": data["deployer"]}
    every = window_features(data["entity"], data["time"], account=data["account"], **kwargs)
    first_seen = np.full(data["account"].max() + 1, np.inf)
    np.minimum.at(first_seen, data["account"], data["time"])
    some = np.isin(data["entity"], [3, 7, 40])
    part = window_features(
        data["entity"][some],
        data["time"][some],
        account=data["account"][some],
        first_seen=first_seen[data["account"][some]],
        **{**kwargs, "deployer": data["deployer"][some]},
    )
    rows = np.isin(every.entities, [3, 7, 40])
    assert np.array_equal(part.X, every.X[rows])
    assert np.array_equal(part.window_starts, every.window_starts[rows])
    # Without first_seen, accounts seen first on other topics look new here.
    alone = window_features(
        data["entity"][some],
        data["time"][some],
        account=data["account"][some],
        **{**kwargs, "deployer": data["deployer"][some]},
    )
    new = every.feature_names.index("new_account_share")
    assert alone.X[:, new].sum() > part.X[:, new].sum()


@pytest.mark.parametrize("detector", ["ecod", "iforest"])
def test_planted_burst_is_flagged_and_explained(detector):
    data = month()
    wf = window_features(
        data["entity"],
        data["time"],
        window=DAY,
        start=T0,
        account=data["account"],
        deployer=data["deployer"],
        offensive=data["offensive"],
        is_report=data["is_report"],
    )
    history = wf.window_starts < T0 + 20 * DAY
    scorer = AnomalyScorer(detector=detector, feature_names=wf.feature_names).fit(wf.X[history])
    recent = wf.X[~history]
    scores = scorer.decision_function(recent)
    top = int(np.argmax(scores))
    assert wf.entities[~history][top] == 7
    assert wf.window_starts[~history][top] == T0 + 25 * DAY
    assert scores[top] > scorer.threshold_
    # Few alarms among ordinary days.
    assert scorer.predict(recent).mean() < 0.05
    reasons = scorer.explain(recent[top], top=3)
    assert {"volume", "distinct_accounts"} & {r.feature for r in reasons[:2]}
    assert all(r.robust_z > 3 for r in reasons[:2])
    assert "x the usual" in reasons[0].text
    # The alerts explain their windows in one batch: row by row, the same words.
    batch = scorer.explain_rows(recent[:40], top=3)
    assert batch == [scorer.explain(row, top=3) for row in recent[:40]]
    assert len(scorer.explain_rows(recent[:2])[0]) == recent.shape[1]


def test_constant_history_columns_do_not_break_scoring():
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.poisson(10, 300), np.ones(300)])
    scorer = AnomalyScorer(feature_names=["volume", "distinct_deployers"]).fit(X)
    assert list(scorer.columns_) == [0]
    scores = scorer.decision_function([[10, 1], [200, 1]])
    assert scores[1] > scores[0]
    reasons = scorer.explain([10, 5])
    assert reasons[0].feature == "distinct_deployers"
    assert reasons[0].robust_z == np.inf


def test_scorer_rejects_bad_input():
    scorer = AnomalyScorer().fit(np.random.default_rng(0).normal(size=(50, 3)))
    with pytest.raises(ValueError, match="features"):
        scorer.decision_function(np.zeros((2, 4)))
    with pytest.raises(ValueError, match="detector"):
        AnomalyScorer(detector="nope").fit(np.zeros((5, 2)) + np.arange(5)[:, None])
