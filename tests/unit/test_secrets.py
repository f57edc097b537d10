import math
import re

import pytest

from core.secrets import (
    api_key_hash,
    new_api_key,
    new_receipt,
    normalise_receipt,
    receipt_hash,
)


def test_receipt_has_at_least_80_bits_of_entropy():
    code = new_receipt()
    symbols = code.replace("-", "")
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{20}", symbols)
    assert len(symbols) * math.log2(32) >= 80


def test_receipts_do_not_repeat():
    assert len({new_receipt() for _ in range(2000)}) == 2000


def test_receipt_typed_loosely_still_matches():
    code = new_receipt()
    typed = code.lower().replace("-", " ").replace("0", "o")
    assert receipt_hash("k", typed) == receipt_hash("k", code)
    assert normalise_receipt(typed) == code


def test_hash_is_keyed_and_reveals_nothing():
    code = new_receipt()
    assert receipt_hash("k1", code) != receipt_hash("k2", code)
    assert code.replace("-", "") not in receipt_hash("k1", code).upper()


def test_receipt_and_key_hashes_are_separate_purposes():
    key, prefix = new_api_key()
    assert key.startswith(prefix) and len(key) > 40
    assert api_key_hash("k", key) != receipt_hash("k", key)


def test_webhook_secret_encryption_round_trips_and_binds_key_and_owner():
    from core.secrets import decrypt_secret, encrypt_secret, new_webhook_secret

    secret = new_webhook_secret()
    sealed = encrypt_secret("server-key", "webhook-secret", secret, context="deployer:1")
    assert secret not in sealed
    assert decrypt_secret("server-key", "webhook-secret", sealed, context="deployer:1") == secret
    # Another server secret, another purpose or another owner's row: nothing comes out.
    for key, purpose, context in (
        ("other-key", "webhook-secret", "deployer:1"),
        ("server-key", "receipt", "deployer:1"),
        ("server-key", "webhook-secret", "deployer:2"),
    ):
        with pytest.raises(ValueError):
            decrypt_secret(key, purpose, sealed, context=context)


def test_webhook_signature_matches_the_documented_receiver():
    import hashlib
    import hmac

    from core.services.webhooks import sign

    header = sign("whsec_abc", 1_700_000_000, b'{"a":1}')
    parts = dict(p.split("=", 1) for p in header.split(","))
    expected = hmac.new(b"whsec_abc", b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
    assert parts == {"t": "1700000000", "v1": expected}
