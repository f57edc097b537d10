"""The canonical form of a text, and the content hash built on it.

Two copies of the same content (one from a public report, one from a
deployer's log, differing only in case, spacing, invisible characters or the
e-mail address that masking replaced) must share one hash, one stored text
and one embedding.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

HASH_VERSION = "sha256-nfkc-casefold@1"

# Format and control characters that change no visible text: zero-width
# spaces and joiners, bidi controls, soft hyphens, the BOM, variation
# selectors and the "tag" block. Obfuscated copies of the same message and
# prompt-smuggling attacks both hide in them.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5"
    "\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff"
    "\uffa0\ufff0-\ufffb\U0001bca0-\U0001bca3\U000e0000-\U000e0fff]+"
)
_ASCII_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f]+")
_ASCII_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_ASCII_LOWER = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")


def strip_invisible(text: str) -> str:
    """NFKC without invisible characters; case and line breaks are kept."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


def normalise(text: str) -> str:
    """NFKC, casefolded, without invisible characters, whitespace collapsed and stripped."""
    if text.isascii():
        # ASCII is already NFKC and casefolds like lower(); skipping the
        # Unicode passes roughly halves the cost for most log texts.
        text = _ASCII_CONTROLS.sub("", text).lower()
    else:
        text = unicodedata.normalize("NFKC", text).casefold()
        text = _INVISIBLE.sub("", text)
        # Casefolding can leave a string that is no longer NFKC (e.g. "ǰ").
        text = unicodedata.normalize("NFKC", text)
    # str.split() with no argument splits on every Unicode whitespace run.
    return " ".join(text.split())


def content_hash(masked_text: str) -> str:
    """Hex SHA-256 of the normalised masked text: the key for duplicates and embeddings."""
    if masked_text.isascii():
        # Same bytes as normalise() would produce, without the str round
        # trips: this runs for every stored text.
        folded = masked_text.encode("ascii").translate(_ASCII_LOWER, _ASCII_CONTROL_BYTES)
        return hashlib.sha256(b" ".join(folded.split())).hexdigest()
    return hashlib.sha256(normalise(masked_text).encode("utf-8")).hexdigest()
