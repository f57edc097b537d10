"""Receipt codes and API keys: generated here, stored only as keyed hashes.

A keyed hash (HMAC-SHA256 under a key derived from the server secret) rather
than a slow password hash: the codes carry >= 80 bits of entropy, so there is
nothing to brute-force, and an exact-match index keeps look-up fast. A copied
database without the server secret reveals no code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# Crockford base32: no I, L, O, U, so codes survive being read aloud or retyped.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})

RECEIPT_GROUPS = 5  # 5 groups x 4 chars x 5 bits = 100 bits
API_KEY_PREFIX = "mw_"


def _derive(secret_key: str, purpose: str) -> bytes:
    # Separate keys per purpose, so a receipt hash can never match a key hash.
    return hmac.new(secret_key.encode(), f"misuse-watch/{purpose}".encode(), "sha256").digest()


def keyed_hash(secret_key: str, purpose: str, value: str) -> str:
    return hmac.new(_derive(secret_key, purpose), value.encode(), hashlib.sha256).hexdigest()


def new_receipt() -> str:
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(4 * RECEIPT_GROUPS))
    return "-".join(chars[i : i + 4] for i in range(0, len(chars), 4))


def receipt_from_seed(secret_key: str, seed: str) -> str:
    """The receipt code a random seed stands for, under the server secret.

    After a form is sent, the visitor's session keeps the seed, never the code, so
    the page it is redirected to can show the code again while the session lasts;
    neither the seed nor the server secret alone gives the code.
    """
    digest = hmac.new(_derive(secret_key, "receipt-seed"), seed.encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest, "big")
    chars = "".join(_ALPHABET[(number >> (5 * i)) & 31] for i in range(4 * RECEIPT_GROUPS))
    return "-".join(chars[i : i + 4] for i in range(0, len(chars), 4))


def new_seed() -> str:
    return secrets.token_urlsafe(24)


def normalise_receipt(code: str) -> str:
    """Accept what people type: any case, spaces or no dashes, O for 0."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum()).translate(_CONFUSABLE)
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


def receipt_hash(secret_key: str, code: str) -> str:
    return keyed_hash(secret_key, "receipt", normalise_receipt(code))


def new_api_key() -> tuple[str, str]:
    """Return (key, prefix). 256 bits; the prefix identifies the key in lists and logs."""
    key = API_KEY_PREFIX + secrets.token_urlsafe(32)
    return key, key[: len(API_KEY_PREFIX) + 6]


def api_key_hash(secret_key: str, key: str) -> str:
    return keyed_hash(secret_key, "api-key", key.strip())


WEBHOOK_SECRET_PREFIX = "whsec_"  # noqa: S105 (a label, not a secret)


def new_webhook_secret() -> str:
    """A webhook signing secret: 256 bits, shown once to the deployer."""
    return WEBHOOK_SECRET_PREFIX + secrets.token_urlsafe(32)


def encrypt_secret(secret_key: str, purpose: str, plaintext: str, *, context: str) -> str:
    """AES-256-GCM under a key derived from the server secret.

    For secrets the server must use again (a webhook's signing secret), where a hash
    would not do. ``context`` (say, the owner's id) is authenticated with the text, so
    a ciphertext copied onto another row does not decrypt there.
    """
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = secrets.token_bytes(12)
    sealed = AESGCM(_derive(secret_key, purpose)).encrypt(
        nonce, plaintext.encode(), context.encode()
    )
    return "v1:" + base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt_secret(secret_key: str, purpose: str, token: str, *, context: str) -> str:
    """The inverse of :func:`encrypt_secret`; raises ValueError on a wrong key or context."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    version, _, data = token.partition(":")
    if version != "v1":
        raise ValueError("unknown secret encryption version")
    raw = base64.urlsafe_b64decode(data.encode())
    try:
        plain = AESGCM(_derive(secret_key, purpose)).decrypt(raw[:12], raw[12:], context.encode())
    except InvalidTag as exc:
        raise ValueError("the secret does not decrypt under this server secret") from exc
    return plain.decode()
