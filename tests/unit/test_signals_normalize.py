"""Normalisation and the content hash: same content, same hash; different content, not."""

import hashlib
import re

from ingest.signals.normalize import content_hash, normalise, strip_invisible
from ingest.signals.pii import mask_pii


def test_case_whitespace_and_width_are_folded():
    assert normalise("  Hello\t\tWORLD \n") == "hello world"
    assert normalise("ＨＥＬＬＯ ｗｏｒｌｄ") == "hello world"
    assert normalise("Straße") == "strasse"
    assert normalise("ﬁne") == "fine"


def test_invisible_and_control_characters_are_removed():
    assert normalise("pass\u200bword") == "password"
    assert normalise("soft\u00adhyphen") == "softhyphen"
    assert normalise("\ufeffbom") == "bom"
    assert normalise("tag\U000e0041\U000e0042s") == "tags"
    assert normalise("bell\x07 ring") == "bell ring"


def test_composed_and_decomposed_accents_agree():
    assert normalise("caf\u00e9") == normalise("cafe\u0301")


def test_normalise_is_idempotent():
    for text in ["Ǉ ǰ̣ ＡＢＣ", "MiXeD\u200b Case\u00a0spaces", "İstanbul", "ΣΊΣΥΦΟΣ"]:
        once = normalise(text)
        assert normalise(once) == once


def test_hash_is_hex_sha256():
    assert re.fullmatch(r"[0-9a-f]{64}", content_hash("anything"))


def test_texts_differing_only_in_case_space_or_email_share_a_hash():
    first, _ = mask_pii("Buy cheap pills at  pharmacy-deals dot com! Contact a.b@example.com")
    second, _ = mask_pii("buy CHEAP pills at pharmacy-deals dot com!\nContact zz9@example.org")
    assert content_hash(first) == content_hash(second)


def test_different_content_gets_a_different_hash():
    assert content_hash("vote on tuesday") != content_hash("vote on wednesday")
    assert content_hash("ab") != content_hash("a b")


def test_strip_invisible_keeps_case_and_line_breaks():
    assert strip_invisible("Ｈi\u200b there\nBob") == "Hi there\nBob"


def test_hash_is_sha256_of_the_normalised_text_for_any_input():
    samples = [
        "Plain ASCII  text\twith\ncontrols\x00\x1f\x7f and CAPS",
        "\x1c\x1dseparators\x1e\x1fbetween\x0bwords\x0c\r\n",
        "Ünïcödé ＷＩＤＥ and\u00a0nbsp\u2028line",
        "",
    ]
    for text in samples:
        expected = hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()
        assert content_hash(text) == expected
