"""Synthetic data written by the project, for showing and testing the product.

:mod:`demo.load` fills a database for ``misuse demo load``: reports, log samples,
demo accounts and a staged case, all through the same services as real input.
:mod:`demo.scenario` generates log traffic with planted campaigns and decoys
(with the ground truth to score detection against), shared by the demo, the
tests and the benchmarks so that all three exercise the same situations.

Neither is ingest: they make input rather than read it.
"""
