"""Typed settings built from ``MISUSE_*`` environment variables.

Nothing here is read at import time: callers ask for ``load_settings()`` when
they start, so tests and commands can set the environment first.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, get_type_hints

from core.exceptions import ConfigurationError


@dataclass(frozen=True)
class Settings:
    # Where the SQLite default, the generated secret key and other local state live.
    instance_dir: Path = Path("instance")
    # SQLAlchemy URL; empty means the embedded SQLite file under instance_dir.
    database_url: str = ""
    # Signs sessions and keys the HMAC of receipt codes and API keys. Changing it
    # invalidates every receipt and key issued before, so it is generated once and kept.
    secret_key: str = ""
    # Keep the unmasked original of reported texts? Off by default: analysts and
    # analytics only ever need the masked copy, and what is not stored cannot leak.
    keep_unmasked_original: bool = False
    # Largest request body for the public report endpoints, in bytes.
    max_report_bytes: int = 256 * 1024
    # Largest body for the bulk endpoints, and most records in one bulk request.
    max_bulk_bytes: int = 16 * 1024 * 1024
    max_bulk_records: int = 1000
    # Limits in Flask-Limiter notation; per client address for the public
    # endpoints, per API key for the authenticated ones.
    rate_limit_reports: str = "10 per minute;100 per day"
    rate_limit_follow_up: str = "30 per minute;300 per day"
    rate_limit_api_key: str = "600 per minute"
    # memory:// counts per process; use redis://127.0.0.1:6379 with several workers.
    rate_limit_storage: str = "memory://"
    rate_limits_enabled: bool = True
    # Web server for ``misuse serve``.
    host: str = "127.0.0.1"
    port: int = 5000
    web_workers: int = 1
    web_threads: int = 8
    # Served behind HTTPS? Then cookies are marked Secure and browsers are told
    # to use HTTPS only (HSTS).
    https: bool = False
    # Reverse proxies in front of the portal (the TLS proxy, a load balancer): how
    # many hops of X-Forwarded-For/-Proto/-Host to believe. 0 believes none, which
    # is right only when clients connect to the portal directly; behind a proxy it
    # makes every client look like the proxy to the rate limits.
    trusted_proxies: int = 0
    log_level: str = "INFO"
    # Embedding backend: "openvino" (OpenVINO; bf16 matrix products where the CPU
    # has them natively, else fp32; groups agree with fp32 at F1 >= 0.98),
    # "openvino-fp32", "onnx" (fp32 with fused kernels under ONNX Runtime, same
    # vectors to rounding), "torch" (the plain model) or "onnx-int8" (its vectors
    # change the near-duplicate groups). benchmarks/README.md has the figures behind
    # the default.
    embed_backend: str = "openvino"
    embed_batch_size: int = 512
    # Cosine similarity at or above which two texts are near-duplicates.
    group_threshold: float = 0.91
    # Or: share of the smaller text's character 5-grams found in the other (a
    # fixed template around a changing payload, a wrapped message). 0 turns the
    # lexical link off. Figures behind both defaults: benchmarks/README.md.
    group_lexical_containment: float = 0.92
    # Neighbours kept per text for "similar items", and the links narratives are
    # made of.
    group_neighbors: int = 10
    # Cosine at or above which two texts make the same claim in other words: a text's
    # narrative is every text linked to it through such links among the neighbours
    # (see docs/detection.md). Set on tuning seeds of benchmarks/detection_eval.py:
    # 0.75 and 0.8 found fewer small campaigns. 0 or less turns narratives off.
    group_narrative_threshold: float = 0.7
    # ... or at or above this one when the two texts were first seen within
    # group_burst_window seconds of each other: a small operation's texts, drawn from
    # a pool of messages that each reword one theme, are 0.5-0.7 alike, and what sets
    # them apart from people who write about the same theme is that they came in one
    # burst. Set on evaluation seed 72 (benchmarks/detection_eval.py): 0.5 flagged
    # organic accounts, 0.65 missed a campaign posting once or twice per account;
    # windows of 3 to 12 hours found the same. 0 or less turns these links off.
    group_burst_narrative_threshold: float = 0.6
    group_burst_window: int = 6 * 3600
    # ... and within such a burst at or above this one when each text is among the
    # other's kept neighbours: where nobody else writes about an operation's theme its
    # messages are each other's nearest texts at 0.4-0.6 (organic texts can be as
    # sparse: a narrative is evidence only once accounts come back to it). Set on
    # evaluation seeds 70-74, 76 and 79 (benchmarks/detection_eval.py, see
    # docs/detection.md). 0 or less turns these links off.
    group_burst_mutual_threshold: float = 0.45
    # A narrative link that involves a text the English embedding model cannot read
    # (analytics.language: mostly another language's function words) holds only when
    # the two texts share at least this share of their content words: the model puts
    # any two Spanish texts 0.5-0.9 apart, so such links chained every Spanish text of
    # an evaluation store into one topic and hid the campaigns inside it ...
    group_foreign_word_overlap: float = 0.25
    # ... or this share when the two were not first seen within one burst
    # (group_burst_window): across days the words must agree more, as an English link
    # across time needs the higher cosine. Both set on tuning seeds 70, 72, 74, 76, 79
    # and 81 of benchmarks/detection_eval.py (0.5 apart missed seed 81's Spanish drip;
    # held out on 85-89: docs/detection.md). 0 or less turns the check off.
    group_foreign_word_overlap_apart: float = 0.4
    cluster_min_size: int = 15
    # A group run re-clusters everything when the texts added since the last full
    # run exceed this share; otherwise it attaches new texts to existing groups.
    group_full_fraction: float = 0.25
    # Job intervals, in seconds (misuse scheduler, or misuse serve's scheduler).
    embed_interval: int = 300
    group_interval: int = 900
    retention_interval: int = 86400
    detect_interval: int = 900
    # Co-posting window in seconds for coordination; 0 estimates it from the data.
    detect_window: int = 0
    detect_min_accounts: int = 5
    # Share of history windows the anomaly detector treats as outliers.
    detect_contamination: float = 0.01
    # New alerts one run may raise, the most anomalous first: what analysts can read.
    detect_max_alerts: int = 50
    expire_interval: int = 300
    # How often serious-incident deadlines are checked; the warning comes a day ahead,
    # so five minutes is early enough and costs one small query.
    incident_interval: int = 300
    # How often due webhook deliveries are sent; the first retry waits a minute anyway.
    webhook_interval: int = 30
    # How long after a decision its recipient may appeal it (DSA Art. 20: at least six months).
    appeal_window_days: int = 183
    # misuse serve also starts the scheduler process (exactly one, beside the web workers).
    serve_scheduler: bool = True
    # argon2 cost for analysts' passwords: "rfc9106-low-memory" (RFC 9106's second
    # recommendation, argon2-cffi's default). The test suite passes "cheapest" in code to
    # hash in microseconds; the environment cannot choose it (see load_settings).
    argon2_profile: str = "rfc9106-low-memory"
    # Address of a Dask distributed scheduler (tcp://10.0.0.5:8786, tls://...) whose
    # workers run the jobs' heavy work; empty runs it in the calling process. The
    # scheduler process still decides when jobs run. See docs/distributed.md.
    dask_scheduler: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.instance_dir / 'misuse.db').resolve()}"


# Names of argon2-cffi's parameter profiles (argon2.profiles) a deployment may use, and
# the one only code may ask for: tests, where thousands of hashes would otherwise
# take minutes of the suite.
ARGON2_PROFILES = ("rfc9106-low-memory", "rfc9106-high-memory", "cheapest")
_CODE_ONLY_PROFILES = ("cheapest",)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _coerce(name: str, raw: str, kind: Any) -> Any:
    if kind is bool:
        value = raw.strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise ConfigurationError(f"MISUSE_{name.upper()} must be true or false, got {raw!r}")
    if kind is int:
        try:
            return int(raw)
        except ValueError:
            raise ConfigurationError(
                f"MISUSE_{name.upper()} must be a whole number, got {raw!r}"
            ) from None
    if kind is float:
        try:
            return float(raw)
        except ValueError:
            raise ConfigurationError(
                f"MISUSE_{name.upper()} must be a number, got {raw!r}"
            ) from None
    if kind is Path:
        return Path(raw)
    return raw


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Build settings from ``MISUSE_<FIELD>`` variables, then apply ``overrides``.

    When no secret key is given, one is generated on first use and kept in
    ``instance/secret_key`` (mode 0600), so receipts stay valid across restarts.
    """
    env = os.environ if environ is None else environ
    hints = get_type_hints(Settings)
    values: dict[str, Any] = {}
    for f in fields(Settings):
        if f.name == "extra":
            continue
        raw = env.get(f"MISUSE_{f.name.upper()}")
        if raw is not None:
            values[f.name] = _coerce(f.name, raw, hints[f.name])
    values.update(overrides)
    settings = Settings(**values)
    if settings.group_narrative_threshold >= settings.group_threshold:
        raise ConfigurationError(
            "MISUSE_GROUP_NARRATIVE_THRESHOLD must be below MISUSE_GROUP_THRESHOLD "
            f"({settings.group_threshold}): a narrative holds whole near-duplicate groups, "
            f"got {settings.group_narrative_threshold}"
        )
    if settings.group_burst_narrative_threshold > settings.group_narrative_threshold > 0:
        raise ConfigurationError(
            "MISUSE_GROUP_BURST_NARRATIVE_THRESHOLD must not be above "
            f"MISUSE_GROUP_NARRATIVE_THRESHOLD ({settings.group_narrative_threshold}): "
            "a link within a burst is the looser one, "
            f"got {settings.group_burst_narrative_threshold}"
        )
    if settings.group_burst_mutual_threshold > settings.group_burst_narrative_threshold > 0:
        raise ConfigurationError(
            "MISUSE_GROUP_BURST_MUTUAL_THRESHOLD must not be above "
            "MISUSE_GROUP_BURST_NARRATIVE_THRESHOLD "
            f"({settings.group_burst_narrative_threshold}): it is the loosest link, "
            f"got {settings.group_burst_mutual_threshold}"
        )
    for name in ("group_foreign_word_overlap", "group_foreign_word_overlap_apart"):
        if getattr(settings, name) > 1:
            raise ConfigurationError(
                f"MISUSE_{name.upper()} is a share of words, 0 to 1, got {getattr(settings, name)}"
            )
    if settings.group_burst_window < 0:
        raise ConfigurationError(
            "MISUSE_GROUP_BURST_WINDOW must be 0 or more seconds, "
            f"got {settings.group_burst_window}"
        )
    if settings.trusted_proxies < 0:
        raise ConfigurationError(
            f"MISUSE_TRUSTED_PROXIES must be 0 or more, got {settings.trusted_proxies}"
        )
    if settings.argon2_profile not in ARGON2_PROFILES:
        raise ConfigurationError(
            f"MISUSE_ARGON2_PROFILE must be one of {', '.join(ARGON2_PROFILES)}, "
            f"got {settings.argon2_profile!r}"
        )
    if (
        settings.argon2_profile in _CODE_ONLY_PROFILES
        and overrides.get("argon2_profile") != settings.argon2_profile
    ):
        # A deployment reads its settings from the environment; a password hash that
        # costs microseconds to guess must never come from there.
        raise ConfigurationError(
            f"MISUSE_ARGON2_PROFILE={settings.argon2_profile} is for the test suite only"
        )
    if settings.dask_scheduler:
        _check_dask_address(settings.dask_scheduler)
    if not settings.secret_key:
        settings = replace(settings, secret_key=_instance_secret(settings.instance_dir))
    return settings


# Dask's own transports; inproc:// and ucx:// are left out: one is no cluster, the
# other needs hardware this project does not use.
_DASK_SCHEMES = ("tcp", "tls", "ws", "wss")


def _check_dask_address(address: str) -> None:
    """Refuse an address Dask would only fail on later, in the middle of a job."""
    if "@" in address:
        # Not echoed: what stands before an @ is usually a password.
        raise ConfigurationError(
            "MISUSE_DASK_SCHEDULER must be a bare scheduler address without credentials; "
            "secure the connection with Dask's TLS settings instead"
        )
    scheme, sep, rest = address.partition("://")
    host, colon, port = rest.rpartition(":")
    if (
        not sep
        or scheme not in _DASK_SCHEMES
        or not colon
        or not host
        or not port.isdigit()
        or not 0 < int(port) < 65536
        or "/" in rest
    ):
        raise ConfigurationError(
            "MISUSE_DASK_SCHEDULER must be a Dask scheduler address such as "
            f"tcp://10.0.0.5:8786 ({'/'.join(_DASK_SCHEMES)}, host and port), got {address!r}"
        )


def _instance_secret(instance_dir: Path) -> str:
    path = instance_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # O_EXCL: two processes starting at once must not each write a different key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(key + "\n")
    return key
