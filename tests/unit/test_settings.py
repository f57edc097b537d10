import stat

import pytest

from core.exceptions import ConfigurationError
from core.settings import load_settings


def test_environment_variables_are_typed(tmp_path):
    s = load_settings(
        environ={
            "MISUSE_INSTANCE_DIR": str(tmp_path),
            "MISUSE_MAX_BULK_RECORDS": "250",
            "MISUSE_KEEP_UNMASKED_ORIGINAL": "yes",
            "MISUSE_DATABASE_URL": "postgresql+psycopg://u@h/db",
            "MISUSE_SECRET_KEY": "k",
        }
    )
    assert s.max_bulk_records == 250
    assert s.keep_unmasked_original is True
    assert s.resolved_database_url == "postgresql+psycopg://u@h/db"


def test_defaults_to_sqlite_under_instance(tmp_path):
    s = load_settings(environ={"MISUSE_INSTANCE_DIR": str(tmp_path)})
    assert s.resolved_database_url == f"sqlite:///{tmp_path.resolve()}/misuse.db"
    assert s.keep_unmasked_original is False


@pytest.mark.parametrize("name,value", [("MAX_BULK_RECORDS", "many"), ("HTTPS", "perhaps")])
def test_malformed_values_name_the_variable(tmp_path, name, value):
    with pytest.raises(ConfigurationError, match=f"MISUSE_{name}"):
        load_settings(environ={"MISUSE_INSTANCE_DIR": str(tmp_path), f"MISUSE_{name}": value})


def test_secret_key_generated_once_and_kept_private(tmp_path):
    first = load_settings(environ={"MISUSE_INSTANCE_DIR": str(tmp_path)})
    second = load_settings(environ={"MISUSE_INSTANCE_DIR": str(tmp_path)})
    assert len(first.secret_key) >= 48
    assert first.secret_key == second.secret_key
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600


def test_explicit_secret_key_wins_and_writes_nothing(tmp_path):
    s = load_settings(environ={"MISUSE_INSTANCE_DIR": str(tmp_path), "MISUSE_SECRET_KEY": "x"})
    assert s.secret_key == "x"
    assert not (tmp_path / "secret_key").exists()


def test_the_cheap_argon2_profile_never_comes_from_the_environment(tmp_path):
    env = {"MISUSE_INSTANCE_DIR": str(tmp_path), "MISUSE_SECRET_KEY": "k"}
    with pytest.raises(ConfigurationError, match="test suite only"):
        load_settings(environ={**env, "MISUSE_ARGON2_PROFILE": "cheapest"})
    with pytest.raises(ConfigurationError, match="MISUSE_ARGON2_PROFILE must be one of"):
        load_settings(environ={**env, "MISUSE_ARGON2_PROFILE": "weak"})
    assert load_settings(environ=env).argon2_profile == "rfc9106-low-memory"
    high = {**env, "MISUSE_ARGON2_PROFILE": "rfc9106-high-memory"}
    assert load_settings(environ=high).argon2_profile == "rfc9106-high-memory"
    assert load_settings(environ=env, argon2_profile="cheapest").argon2_profile == "cheapest"


def test_dask_scheduler_unset_by_default(tmp_path):
    assert load_settings(environ={"MISUSE_INSTANCE_DIR": str(tmp_path)}).dask_scheduler == ""


@pytest.mark.parametrize("address", ["tcp://10.0.0.5:8786", "tls://scheduler.internal:8786"])
def test_dask_scheduler_address_accepted(tmp_path, address):
    env = {"MISUSE_INSTANCE_DIR": str(tmp_path), "MISUSE_DASK_SCHEDULER": address}
    assert load_settings(environ=env).dask_scheduler == address


@pytest.mark.parametrize(
    "address", ["10.0.0.5:8786", "tcp://10.0.0.5", "http://10.0.0.5:8786", "tcp://h:99999"]
)
def test_malformed_dask_scheduler_is_refused_by_name(tmp_path, address):
    env = {"MISUSE_INSTANCE_DIR": str(tmp_path), "MISUSE_DASK_SCHEDULER": address}
    with pytest.raises(ConfigurationError, match=r"MISUSE_DASK_SCHEDULER.*tcp://10\.0\.0\.5:8786"):
        load_settings(environ=env)


def test_dask_scheduler_with_credentials_is_refused_without_echoing_them(tmp_path):
    env = {
        "MISUSE_INSTANCE_DIR": str(tmp_path),
        "MISUSE_DASK_SCHEDULER": "tcp://admin:hunter2@10.0.0.5:8786",
    }
    with pytest.raises(ConfigurationError, match="without credentials") as err:
        load_settings(environ=env)
    assert "hunter2" not in str(err.value)


def test_a_narrative_threshold_at_the_near_duplicate_one_is_refused(tmp_path):
    env = {"MISUSE_INSTANCE_DIR": str(tmp_path), "MISUSE_SECRET_KEY": "k"}
    assert load_settings(environ=env).group_narrative_threshold == 0.7
    off = load_settings(environ={**env, "MISUSE_GROUP_NARRATIVE_THRESHOLD": "0"})
    assert off.group_narrative_threshold == 0.0
    with pytest.raises(ConfigurationError, match="MISUSE_GROUP_NARRATIVE_THRESHOLD must be below"):
        load_settings(environ={**env, "MISUSE_GROUP_NARRATIVE_THRESHOLD": "0.95"})


def test_the_burst_narrative_settings_are_checked(tmp_path):
    env = {"MISUSE_INSTANCE_DIR": str(tmp_path), "MISUSE_SECRET_KEY": "k"}
    s = load_settings(environ=env)
    assert (s.group_burst_narrative_threshold, s.group_burst_window) == (0.6, 6 * 3600)
    off = load_settings(environ={**env, "MISUSE_GROUP_BURST_NARRATIVE_THRESHOLD": "0"})
    assert off.group_burst_narrative_threshold == 0.0
    # Narratives off altogether: the burst threshold is not compared with it.
    load_settings(environ={**env, "MISUSE_GROUP_NARRATIVE_THRESHOLD": "0"})
    with pytest.raises(ConfigurationError, match="BURST_NARRATIVE_THRESHOLD must not be above"):
        load_settings(environ={**env, "MISUSE_GROUP_BURST_NARRATIVE_THRESHOLD": "0.8"})
    with pytest.raises(ConfigurationError, match="MISUSE_GROUP_BURST_WINDOW must be 0 or more"):
        load_settings(environ={**env, "MISUSE_GROUP_BURST_WINDOW": "-1"})
    assert s.group_burst_mutual_threshold == 0.45
    off = load_settings(environ={**env, "MISUSE_GROUP_BURST_MUTUAL_THRESHOLD": "0"})
    assert off.group_burst_mutual_threshold == 0.0
    # The burst links off: the mutual threshold is not compared with them.
    load_settings(environ={**env, "MISUSE_GROUP_BURST_NARRATIVE_THRESHOLD": "0"})
    with pytest.raises(ConfigurationError, match="BURST_MUTUAL_THRESHOLD must not be above"):
        load_settings(environ={**env, "MISUSE_GROUP_BURST_MUTUAL_THRESHOLD": "0.65"})


def test_the_foreign_word_overlap_settings_are_shares(tmp_path):
    env = {"MISUSE_INSTANCE_DIR": str(tmp_path), "MISUSE_SECRET_KEY": "k"}
    s = load_settings(environ=env)
    assert (s.group_foreign_word_overlap, s.group_foreign_word_overlap_apart) == (0.25, 0.4)
    off = load_settings(environ={**env, "MISUSE_GROUP_FOREIGN_WORD_OVERLAP": "0"})
    assert off.group_foreign_word_overlap == 0.0
    for name in ("FOREIGN_WORD_OVERLAP", "FOREIGN_WORD_OVERLAP_APART"):
        with pytest.raises(ConfigurationError, match=f"MISUSE_GROUP_{name} is a share of words"):
            load_settings(environ={**env, f"MISUSE_GROUP_{name}": "25"})
