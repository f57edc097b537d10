"""Per-entity time-window features and anomaly scoring with pyod.

Scores follow the package's convention (higher = more anomalous, see
:mod:`analytics`); pyod's ``decision_function`` already agrees, and
:class:`AnomalyScorer` is the one place that would flip a detector that did not.
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted, validate_data

from analytics.arrays import codes as _codes
from analytics.arrays import distinct_per, unique_inverse

__all__ = ["AnomalyScorer", "Contribution", "WindowFeatures", "window_features"]

_MAD_TO_SIGMA = 1.4826
_MEAN_AD_TO_SIGMA = 1.2533


class WindowFeatures(NamedTuple):
    """Output of :func:`window_features`: one row per (entity, window)."""

    X: np.ndarray
    """Feature matrix, float64, shape (n_rows, n_features)."""
    entities: np.ndarray
    """Entity key of each row."""
    window_starts: np.ndarray
    """Start of each row's window, seconds since the epoch."""
    feature_names: list[str]


class Contribution(NamedTuple):
    """How unusual one feature of a row is against the fitted history."""

    feature: str
    value: float
    robust_z: float
    """``(value - median) / (1.4826 MAD)`` of the history."""
    median: float
    text: str
    """A plain-language phrase, e.g. ``"volume 40 vs median 1 (40x the usual)"``."""


def _row_reduce(rows: np.ndarray, n_rows: int, values: np.ndarray) -> np.ndarray:
    return np.bincount(rows, weights=values, minlength=n_rows)


def window_features(
    entity: Any,
    time: Any,
    *,
    window: float = 86400.0,
    start: float | None = None,
    account: Any = None,
    deployer: Any = None,
    group: Any = None,
    near_duplicate: Any = None,
    offensive: Any = None,
    is_report: Any = None,
    first_seen: Any = None,
    sub_windows: int = 12,
) -> WindowFeatures:
    """Feature rows per entity and time window.

    An entity is whatever is being watched: a near-duplicate group, a topic
    cluster or an account. Only (entity, window) pairs with at least one item
    get a row; growth still sees an empty previous window as zero volume.

    Parameters
    ----------
    entity : array-like of shape (n_items,)
        Entity key of each item.
    time : array-like of shape (n_items,)
        Seconds since the epoch.
    window : float, default=86400.0
        Window length in seconds.
    start : float or None
        Origin of the window grid; None uses the earliest time.
    account, deployer : array-like of shape (n_items,), optional
        Enable ``distinct_accounts`` and ``new_account_share`` (accounts
        whose first item in the input falls in this window), and
        ``distinct_deployers``.
    group : array-like of shape (n_items,), optional
        Near-duplicate group ids; an item counts as a near-duplicate when its
        group holds at least two items. Ignored when ``near_duplicate`` is
        given.
    near_duplicate : array-like of bool, optional
        Enables ``near_duplicate_share``.
    offensive : array-like of float, optional
        Offensive-language probability; enables ``mean_offensive``.
    is_report : array-like of bool, optional
        True for public reports, False for deployer log samples; enables
        ``report_ratio`` = reports / (log samples + 1).
    first_seen : array-like of float, optional
        When the item's account was first seen, if that can be earlier than
        its first item here (the input is a subset of the traffic). Without
        it an account is new in the window of its first item in the input.
    sub_windows : int, default=12
        Sub-windows per window for ``peak_ratio``.

    Returns
    -------
    WindowFeatures
        ``X`` with columns, in this order, of those enabled: ``volume``,
        ``distinct_accounts``, ``distinct_deployers``, ``burstiness``
        (``(sigma - mu) / (sigma + mu)`` of inter-arrival times: -1 regular,
        0 Poisson, 1 all at once; 0 under three items), ``peak_ratio``
        (busiest sub-window / mean sub-window), ``growth`` (log2 of
        ``(volume + 1) / (previous window's volume + 1)``),
        ``near_duplicate_share``, ``mean_offensive``, ``report_ratio``,
        ``new_account_share``. Rows are sorted by entity, then window.
    """
    t = np.asarray(time, dtype=np.float64)
    n = len(t)
    if len(np.asarray(entity)) != n:
        raise ValueError("entity and time must have the same length")
    if window <= 0 or sub_windows < 1:
        raise ValueError("window must be positive and sub_windows at least 1")
    names = ["volume"]
    if n == 0:
        return WindowFeatures(np.zeros((0, 1)), np.zeros(0), np.zeros(0), names)
    ent, ent_values = _codes(entity)
    origin = float(t.min()) if start is None else float(start)
    win = np.floor((t - origin) / window).astype(np.int64)
    span = int(win.max() - win.min()) + 1
    row_key, rows = unique_inverse(ent * span + (win - win.min()))
    rows = rows.ravel()
    row_keys = np.stack([row_key // span, row_key % span + win.min()])
    n_rows = row_keys.shape[1]
    volume = np.bincount(rows, minlength=n_rows).astype(np.float64)
    columns = [volume]

    if account is not None:
        acc, _ = _codes(account)
        columns.append(distinct_per(rows, acc, n_rows).astype(np.float64))
        names.append("distinct_accounts")
    if deployer is not None:
        dep, _ = _codes(deployer)
        columns.append(distinct_per(rows, dep, n_rows).astype(np.float64))
        names.append("distinct_deployers")

    # Burstiness from inter-arrival times within each row.
    order = np.lexsort((t, rows))
    r_sorted, t_sorted = rows[order], t[order]
    same = r_sorted[1:] == r_sorted[:-1]
    gaps, gap_rows = np.diff(t_sorted)[same], r_sorted[1:][same]
    n_gaps = np.bincount(gap_rows, minlength=n_rows)
    mu = _row_reduce(gap_rows, n_rows, gaps) / np.maximum(n_gaps, 1)
    var = _row_reduce(gap_rows, n_rows, (gaps - mu[gap_rows]) ** 2) / np.maximum(n_gaps, 1)
    sigma = np.sqrt(var)
    denom = sigma + mu
    burst = np.where(denom > 0, (sigma - mu) / np.where(denom > 0, denom, 1.0), 1.0)
    columns.append(np.where(n_gaps >= 2, burst, 0.0))
    names.append("burstiness")

    sub = np.minimum(
        np.floor(((t - origin) / window - win) * sub_windows).astype(np.int64), sub_windows - 1
    )
    sub_keys, _, sub_counts = unique_inverse(rows * sub_windows + sub, counts=True)
    peak = np.zeros(n_rows)
    np.maximum.at(peak, sub_keys // sub_windows, sub_counts)
    columns.append(peak / (volume / sub_windows))
    names.append("peak_ratio")

    # Previous window of the same entity: rows are sorted by (entity, window).
    prev = np.zeros(n_rows)
    has_prev = np.zeros(n_rows, dtype=bool)
    has_prev[1:] = (row_keys[0, 1:] == row_keys[0, :-1]) & (row_keys[1, 1:] == row_keys[1, :-1] + 1)
    prev[1:] = np.where(has_prev[1:], volume[:-1], 0.0)
    columns.append(np.log2((volume + 1) / (prev + 1)))
    names.append("growth")

    if near_duplicate is None and group is not None:
        g, _ = _codes(group)
        near_duplicate = np.bincount(g)[g] >= 2
    if near_duplicate is not None:
        nd = np.asarray(near_duplicate, dtype=np.float64)
        columns.append(_row_reduce(rows, n_rows, nd) / volume)
        names.append("near_duplicate_share")
    if offensive is not None:
        off = np.asarray(offensive, dtype=np.float64)
        columns.append(_row_reduce(rows, n_rows, off) / volume)
        names.append("mean_offensive")
    if is_report is not None:
        rep = np.asarray(is_report, dtype=np.float64)
        reports = _row_reduce(rows, n_rows, rep)
        columns.append(reports / (volume - reports + 1))
        names.append("report_ratio")
    if account is not None:
        if first_seen is not None:
            first = np.asarray(first_seen, dtype=np.float64)
            new = win == np.floor((first - origin) / window).astype(np.int64)
        else:
            first_win = np.full(acc.max() + 1, np.iinfo(np.int64).max)
            np.minimum.at(first_win, acc, win)
            new = win == first_win[acc]
        fresh = (
            distinct_per(rows[new], acc[new], n_rows).astype(np.float64)
            if new.any()
            else np.zeros(n_rows)
        )
        columns.append(fresh / np.maximum(columns[1], 1))
        names.append("new_account_share")

    X = np.column_stack(columns).astype(np.float64)
    return WindowFeatures(X, ent_values[row_keys[0]], origin + row_keys[1] * window, names)


def _make_detector(name: str, contamination: float, random_state: int, params: dict) -> Any:
    # Imported here so that importing this module stays cheap for the web app.
    if name == "ecod":
        from pyod.models.ecod import ECOD

        return ECOD(contamination=contamination, **params)
    if name == "copod":
        from pyod.models.copod import COPOD

        return COPOD(contamination=contamination, **params)
    if name == "iforest":
        from pyod.models.iforest import IForest

        return IForest(contamination=contamination, random_state=random_state, **params)
    if name == "hbos":
        from pyod.models.hbos import HBOS

        return HBOS(contamination=contamination, **params)
    raise ValueError(f"detector must be one of ecod, copod, iforest, hbos; got {name!r}")


class AnomalyScorer(BaseEstimator):
    """Score feature rows against a history with a pyod detector.

    :meth:`decision_function` is the anomaly score (higher = more anomalous, as
    pyod's method of that name); ``predict`` flags rows above ``threshold_``,
    the ``1 - contamination`` quantile of the history's scores. It is not a
    scikit-learn outlier detector, whose ``predict`` answers -1/1 and whose
    scores run the other way.

    The default detector is ECOD (empirical cumulative distribution
    outlier detection): it has no hyper-parameters to tune and no
    randomness, fits in linear time, and scores a row by how far into the
    tails of each feature's own history it lies, which is exactly what
    :meth:`explain` reports in words. IsolationForest (``"iforest"``) catches
    unusual *combinations* of ordinary values better, at the price of a seed
    and a forest; it is available for that.

    Parameters
    ----------
    detector : {"ecod", "copod", "iforest", "hbos"}, default="ecod"
    contamination : float, default=0.01
        Expected share of anomalous rows in the history; sets ``threshold_``.
    feature_names : list of str or None
        Names used by :meth:`explain`; None gives ``x0, x1, ...``.
    random_state : int, default=0
        Seed for randomised detectors.
    detector_params : dict or None
        Extra keyword arguments for the pyod detector.

    Attributes
    ----------
    detector_ : pyod detector
        Fitted on the non-constant columns of the history.
    columns_ : ndarray of int
        Columns the detector sees; constant history columns are left out
        (they carry no information and make ECOD's skewness undefined).
    threshold_ : float
        Score above which a row is anomalous.
    median_, scale_ : ndarray of shape (n_features,)
        History median and robust scale (1.4826 MAD, or 1.2533 mean absolute
        deviation when the MAD is zero) per feature.
    feature_names_ : list of str
    n_features_in_ : int
    """

    def __init__(
        self,
        *,
        detector: str = "ecod",
        contamination: float = 0.01,
        feature_names: list[str] | None = None,
        random_state: int = 0,
        detector_params: dict | None = None,
    ) -> None:
        self.detector = detector
        self.contamination = contamination
        self.feature_names = feature_names
        self.random_state = random_state
        self.detector_params = detector_params

    def _check(self, X: Any) -> np.ndarray:
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return np.asarray(X)

    def fit(self, X: Any, y: Any = None) -> AnomalyScorer:
        """Fit the detector and the robust per-feature baseline on history rows.

        Parameters
        ----------
        X : array-like of shape (n_rows, n_features)
            Feature rows of ordinary past windows.
        y : ignored

        Returns
        -------
        self : AnomalyScorer
        """
        if not 0 < self.contamination < 0.5:
            raise ValueError("contamination must be in (0, 0.5)")
        # Finite rows only (scikit-learn's messages name NaN and infinity), two at least.
        X = np.asarray(validate_data(self, X, dtype=np.float64, ensure_min_samples=2))
        names = self.feature_names or [f"x{i}" for i in range(X.shape[1])]
        if len(names) != X.shape[1]:
            raise ValueError("feature_names does not match the number of features")
        self.feature_names_ = list(names)
        self.median_ = np.median(X, axis=0)
        mad = np.median(np.abs(X - self.median_), axis=0) * _MAD_TO_SIGMA
        mean_ad = np.mean(np.abs(X - self.median_), axis=0) * _MEAN_AD_TO_SIGMA
        self.scale_ = np.where(mad > 0, mad, mean_ad)

        # Constant up to rounding (a mean of equal values summed in another order)
        # is constant: ECOD's skewness of such a column is noise, and scipy warns.
        spread = np.ptp(X, axis=0)
        self.columns_ = np.flatnonzero(spread > 1e-9 * np.maximum(np.abs(X).max(axis=0), 1.0))
        self.detector_ = _make_detector(
            self.detector, self.contamination, self.random_state, dict(self.detector_params or {})
        )
        if len(self.columns_):
            self.detector_.fit(X[:, self.columns_])
            # pyod: higher decision score = more anomalous, as here.
            self.threshold_ = float(self.detector_.threshold_)
        else:
            self.threshold_ = 0.0
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        """Anomaly score of each row; higher = more anomalous.

        Parameters
        ----------
        X : array-like of shape (n_rows, n_features)

        Returns
        -------
        scores : ndarray of shape (n_rows,)
        """
        check_is_fitted(self)
        X = self._check(X)
        if not len(self.columns_):
            # A constant history: anything different from it is anomalous.
            return np.abs(X - self.median_).sum(axis=1)
        return np.asarray(self.detector_.decision_function(X[:, self.columns_]), dtype=np.float64)

    def predict(self, X: Any) -> np.ndarray:
        """True where the score exceeds ``threshold_``."""
        return self.decision_function(X) > self.threshold_

    def explain(self, row: Any, top: int | None = None) -> list[Contribution]:
        """Features of one row ranked by how unusual they are vs the history.

        Parameters
        ----------
        row : array-like of shape (n_features,)
        top : int or None
            Keep the ``top`` most unusual features; None keeps all.

        Returns
        -------
        list of Contribution
            ``(feature, value, robust_z, median, text)``, largest ``|robust_z|``
            first.
        """
        return self.explain_rows(np.reshape(np.asarray(row, dtype=np.float64), (1, -1)), top)[0]

    def explain_rows(self, rows: Any, top: int | None = None) -> list[list[Contribution]]:
        """:meth:`explain` of each row of ``rows`` (shape ``(n_rows, n_features)``), in
        one pass: a run explains hundreds of windows, and validating and sorting them
        one by one cost a fifth of a second at a million items."""
        check_is_fitted(self)
        x_all = self._check(rows)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(
                self.scale_ > 0,
                (x_all - self.median_) / np.where(self.scale_ > 0, self.scale_, 1.0),
                np.where(x_all == self.median_, 0.0, np.sign(x_all - self.median_) * np.inf),
            )
        order = np.argsort(-np.abs(z), axis=1, kind="stable")
        if top is not None:
            order = order[:, :top]
        out = []
        for x, zs, ranked in zip(x_all.tolist(), z.tolist(), order.tolist(), strict=True):
            reasons = []
            for i in ranked:
                name, value, med = self.feature_names_[i], x[i], float(self.median_[i])
                text = f"{name} {value:.3g} vs median {med:.3g}"
                if med > 0 and value / med >= 2:
                    text += f" ({value / med:.0f}x the usual)"
                elif np.isfinite(zs[i]):
                    text += f" (robust z {zs[i]:+.1f})"
                reasons.append(Contribution(name, value, zs[i], med, text))
            out.append(reasons)
        return out


# -- alerts on the latest windows ------------------------------------------------------


def _stable_unit(keys: np.ndarray) -> np.ndarray:
    """A number in [0, 1) per key, the same in every process and run."""
    if keys.dtype == object:
        return np.fromiter(
            (zlib.crc32(str(k).encode()) / 2**32 for k in keys), np.float64, len(keys)
        )
    x = keys.astype(np.uint64)
    # splitmix64's finaliser: consecutive ids spread evenly.
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(11)).astype(np.float64) / 2**53


def rank_alerts(alerts: list[dict[str, Any]], cap: int) -> list[dict[str, Any]]:
    """The ``cap`` most anomalous of a run's new alerts: a first run over a large store
    would otherwise raise hundreds that no one can read. The rest stay unraised (and
    are proposed again while their window is among the latest)."""
    return sorted(alerts, key=lambda a: (-a["score"], a["subject_type"], a["subject_id"]))[
        : max(cap, 0)
    ]


def latest_window_alerts(
    *,
    kind: np.ndarray,
    item_id: np.ndarray,
    group: np.ndarray,
    account: np.ndarray,
    deployer: np.ndarray,
    time: np.ndarray,
    offensive: np.ndarray,
    account_keys: np.ndarray,
    contamination: float,
    window: float,
    history_items: int,
) -> list[dict[str, Any]]:
    """Score per-group and per-account windows against their history; alert on the
    latest windows that stand out, with the features that drove them in words.

    One entry per item in every array: ``kind`` (0 log sample, 1 report), ``item_id``,
    ``group`` (near-duplicate group), ``account`` (an index into ``account_keys``),
    ``deployer`` (-1 for none), ``time`` (seconds since the epoch), ``offensive``
    (probability). Windows are ``window`` seconds on a grid from the epoch (00:00,
    06:00... UTC for 6 hours), so a window keeps its start whatever else is stored.
    The latest windows are those starting within two windows of the latest item; the
    history is every earlier window of a stable sample of entities holding about
    ``history_items`` items (ECOD's cost grows with its history, and a run's must
    not grow with the store).
    """
    out: list[dict[str, Any]] = []
    n = len(item_id)
    if n == 0:
        return out
    latest = float(time.max())
    first_recent = int(np.ceil((latest - 2 * window) / window))
    win = np.floor(time / window).astype(np.int64)
    share = min(1.0, history_items / n)
    group_size = np.bincount(group)
    first_seen = np.full(len(account_keys), np.inf)
    np.minimum.at(first_seen, account, time)
    for subject, entity in (("group", group), ("account", account)):
        distinct, inverse = unique_inverse(entity)
        entity_sampled = (
            _stable_unit(distinct if subject == "group" else account_keys[distinct]) < share
        )
        sampled = entity_sampled[inverse.ravel()]
        # Items of sampled entities, and those of every entity's latest windows and
        # the window before them (growth compares with it), in a fixed order so
        # that sums come out the same in full and incremental runs.
        rows = np.flatnonzero(sampled | (win >= first_recent - 1))
        rows = rows[np.lexsort((item_id[rows], kind[rows]))]
        part_account = account[rows]
        wf = window_features(
            group[rows] if subject == "group" else part_account,
            time[rows],
            window=window,
            start=0.0,
            account=part_account,
            deployer=deployer[rows],
            near_duplicate=group_size[group[rows]] >= 2,
            offensive=offensive[rows],
            is_report=kind[rows] == 1,
            first_seen=first_seen[part_account],
        )
        row_win = np.round(np.asarray(wf.window_starts, dtype=float) / window).astype(np.int64)
        row_sampled = entity_sampled[np.searchsorted(distinct, wf.entities)]
        recent = row_win >= first_recent
        history = row_sampled & ~recent
        if history.sum() < 20 or not recent.any():
            continue
        scorer = AnomalyScorer(contamination=contamination, feature_names=wf.feature_names)
        scorer.fit(wf.X[history])
        scores = scorer.decision_function(wf.X[recent])
        volume = wf.feature_names.index("volume")
        # Above the threshold, and not a window of one or two posts: those cannot be
        # a campaign or a surge.
        rows_recent = np.flatnonzero(recent)
        raised = ~(scores <= scorer.threshold_) & (wf.X[rows_recent, volume] >= 5)
        chosen = rows_recent[raised]
        explained = scorer.explain_rows(wf.X[chosen], top=3) if len(chosen) else []
        for row, score, reasons in zip(chosen, scores[raised], explained, strict=True):
            name = str(wf.entities[row]) if subject == "group" else account_keys[wf.entities[row]]
            start = datetime.fromtimestamp(float(wf.window_starts[row]), UTC)
            out.append(
                {
                    "subject_type": subject,
                    "subject_id": name[:250],
                    "window_start": start,
                    "window_end": start + timedelta(seconds=window),
                    "score": float(score),
                    "features": {
                        f: round(float(v), 4)
                        for f, v in zip(wf.feature_names, wf.X[row], strict=True)
                    },
                    "explanation": f"{subject} {name}: " + "; ".join(c.text for c in reasons),
                }
            )
    out.sort(key=lambda a: (a["subject_type"], a["subject_id"], a["window_start"]))
    return out
