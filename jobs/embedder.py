"""The embedding model as the jobs load it: in the scheduler process for the embed job,
and once per Dask worker (``jobs.cluster``)."""

from __future__ import annotations

import gc
from typing import Any

from core.settings import Settings


def make_embedder(settings: Settings) -> Any:
    """The embedding model, loaded; its callers keep it for the process's life."""
    from analytics.embedding import SentenceEmbedder

    cache = settings.instance_dir / "models"
    embedder = SentenceEmbedder(backend=settings.embed_backend, cache_dir=str(cache)).fit()
    # Loading the model leaves about half a million Python objects (the libraries'
    # and the model's) that live as long as the process. Every full garbage
    # collection scanned them again: 0.26 s on a Dask worker, paid at random inside
    # whichever job run triggered it (a 0.2-s detect run took 0.6). Freezing moves
    # every object alive now into the permanent generation, which collections skip;
    # only cyclic garbage alive at this moment is never freed, and there is little.
    gc.freeze()
    return embedder
