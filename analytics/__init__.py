"""Estimators of the analytics pipeline: embedder, grouper, clusterer, detectors.

Every estimator follows the scikit-learn contract: keyword-only parameters stored
as given by ``__init__``, resolved by ``fit`` into fitted ``*_`` attributes, so
``clone``, ``get_params`` and ``set_params`` work on all of them.

Score convention, for every score this package returns: **higher means more of
what the score measures** — more anomalous (``AnomalyScorer.decision_function``),
more coordinated (``CoordinationDetector``'s community ``score``), more alike
(the cosines and containments of ``NearDuplicateGrouper`` and ``ShingleLinker``).
pyod's ``decision_function`` agrees. scikit-learn's outlier detectors do not
(their ``score_samples`` is lower for outliers and their ``predict`` answers -1
for them): none of ours is one, and a caller that uses one negates its scores
where it calls it.
"""
