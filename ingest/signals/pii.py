"""Personal-data masking for every text that enters the platform.

Each kind is found by a pattern and, where the format carries a check digit,
confirmed by it: a false positive destroys evidence an analyst needs (an order
number, a version string), so unvalidated look-alikes are left alone. The
patterns run from the most specific kind to the loosest (phone last) and
placeholders contain no digits, so a span masked once is never re-matched.
"""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from collections.abc import Callable

RULESET_VERSION = "misuse-pii-rules@1"

PLACEHOLDERS: dict[str, str] = {
    "email": "[EMAIL]",
    "phone": "[PHONE]",
    "card": "[CARD]",
    "iban": "[IBAN]",
    "ip": "[IP]",
    "national_id": "[NATIONAL_ID]",
}

# Every kind but e-mail and IPv6 holds a run of at least six digits and
# separators ("1.2.3.4", "123456C", "123-45-6789") or is a codice fiscale.
# One scan for either finds the few short stretches worth running the
# validating patterns on; most log texts have none and cost just this scan.
_CANDIDATE = re.compile(
    r"(?a)\d[\d ./()+-]{4,}\d"
    r"|\b[A-Z]{6}[\dLMNP-V]{2}[A-EHLMPR-T][\dLMNP-V]{2}[A-Z][\dLMNP-V]{3}[A-Z]\b"
)
_ANY_DIGIT = re.compile(r"\d", re.ASCII)
_AT_SIGN = re.compile("@")

_EMAIL = re.compile(r"(?<![\w.+%-])[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")
_EMAIL_TLD = re.compile(r"[A-Za-z]{2,24}")

# ISO 13616 lengths; an unknown country or wrong length is not an IBAN.
_IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22,
    "BH": 22, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28,
    "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24,
    "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SC": 31,
    "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
    "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}  # fmt: skip
_IBAN_HEAD_BEFORE = re.compile(r"(?a)\b[A-Z]{2}\d{2} ?$")
_IBAN = re.compile(r"(?a)\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b")

# French NIR: sex, birth year, month (20+ for unknown months), department
# (2A/2B for Corsica), commune, order number, two-digit key.
_FR_NIR = re.compile(
    r"(?a)(?<![\w+-])[12] ?\d{2} ?(?:0[1-9]|1[0-2]|[2-9]\d) ?(?:\d{2}|2[AB])"
    r" ?\d{3} ?\d{3} ?\d{2}(?![\w-])"
)

# Grouped as printed on cards (4-4-4-4[-3], Amex 4-6-5) or one unbroken run;
# loose digit soup with random separators is more often a reference number.
_CARD = re.compile(
    r"(?a)(?<![\w+-])(?<!\d[ .-])(?:\d{4}([ -])\d{4}\1\d{4}\1\d{1,4}(?:\1\d{1,3})?"
    r"|\d{4}([ -])\d{6}\2\d{4,5}|\d{13,19})(?![\w-])"
)

_US_SSN = re.compile(
    r"(?a)(?<![\w-])(?!000|666|9\d\d)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}(?![\w-])"
)
# HMRC: D, F, I, Q, U, V are never used; O never as the second letter.
_UK_NINO = re.compile(
    r"(?a)\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]"
    r" ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b"
)
_ES_DNI_NIE = re.compile(r"(?a)\b([XYZ]?)-?(\d{7,8})-?([A-Z])\b")
_ES_CHECK_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
# Codice fiscale, including "omocodia" letters that stand in for digits.
_IT_CODICE_FISCALE = re.compile(
    r"(?a)\b[A-Z]{6}[\dLMNP-V]{2}[A-EHLMPR-T][\dLMNP-V]{2}[A-Z][\dLMNP-V]{3}[A-Z]\b"
)
_DE_TAX_ID = re.compile(r"(?a)(?<![\w+.,-])[1-9]\d(?: ?\d{3}){3}(?![\w-]|[.,]\d)")

_IPV4_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IPV4 = re.compile(rf"(?a)(?<![\w.]){_IPV4_OCTET}(?:\.{_IPV4_OCTET}){{3}}(?![\w]|\.\d)")
_IPV6_CANDIDATE = re.compile(
    r"(?a)(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|\d{1,3}(?:\.\d{1,3}){3})?(?![\w:])"
)
# Four-part version strings are valid dotted quads; the word before them says which.
_VERSION_CONTEXT = re.compile(r"\b(?:version|release|build|ver\.?|v)\s*$", re.IGNORECASE)

# International: "+" then groups with separators, or one unbroken run ("00" is
# handled with the trunk prefix below).
_PHONE_INTERNATIONAL = re.compile(
    r"(?a)(?<![\w+])(?<!\d[ .-])\+\d{1,4}(?:[ .-]?\(\d{1,4}\)[ .-]?\d{1,8}|[ .-]\d{1,8}){1,6}(?!\w)"
    r"|(?<![\w+])\+\d{7,15}(?!\w)"
)
# North American 3-3-4 (area code and exchange never start with 0 or 1).
_PHONE_NANP = re.compile(
    r"(?a)(?<![\w+.(/#-])(?<!\d[ .-])(?:1[ .-])?(?:\(\s?[2-9]\d{2}\s?\)\s?|[2-9]\d{2}[ .-])"
    r"[2-9]\d{2}[ .-]\d{4}"
    r"(?!\w|[.-]\d)"
)
# National numbers with a trunk "0" (or international "00") and separators:
# "020 7946 0958", "06 12 34 56 78", "030/1234567", "(0151) 1234 5678".
_PHONE_TRUNK = re.compile(
    r"(?a)(?<![\w+.(/#-])(?<!\d[ .-])(?:\(0\d{1,4}\)\s?|0\d{1,4}(?:[ /-]|\.(?=\d{2}\.)))"
    r"\d{2,8}(?:[ .-]\d{2,8}){0,4}"
    r"(?!\w|[.:/-]\d)"
)
_DATE_PREFIX = re.compile(
    r"(?a)(?:\d{1,2}[./-]\d{1,2}[./-](?:19|20)\d{2}|(?:19|20)\d{2}[./-]\d{1,2}[./-]\d{1,2})(?!\d)"
)
_NON_DIGITS = re.compile(r"[^0-9]+")


def _digits(text: str) -> str:
    return _NON_DIGITS.sub("", text)


def luhn_valid(number: str) -> bool:
    """True when the digit string passes the Luhn check used by payment cards."""
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = ord(char) - 48
        if index % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def iban_valid(candidate: str) -> bool:
    """True for an IBAN of the right length for its country with a valid mod-97 check."""
    iban = candidate.replace(" ", "").upper()
    if _IBAN_LENGTHS.get(iban[:2]) != len(iban):
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def _email_valid(match: re.Match[str]) -> bool:
    return _EMAIL_TLD.fullmatch(match.group().rsplit(".", 1)[1]) is not None


def _iban_valid(match: re.Match[str]) -> bool:
    return iban_valid(match.group())


def _fr_nir_valid(match: re.Match[str]) -> bool:
    nir = match.group().replace(" ", "")
    body = nir[:13].replace("2A", "19").replace("2B", "18")
    return 97 - int(body) % 97 == int(nir[13:])


def _card_valid(match: re.Match[str]) -> bool:
    start = match.start()
    if _IBAN_HEAD_BEFORE.search(match.string, max(0, start - 5), start):
        return False  # the body of an IBAN whose check digits failed, not a card
    digits = _digits(match.group())
    # Issuer ranges start with 2-6 (Mastercard, Amex, Visa, Discover, UnionPay...).
    return 13 <= len(digits) <= 19 and digits[0] in "23456" and luhn_valid(digits)


def _es_dni_nie_valid(match: re.Match[str]) -> bool:
    prefix, number, letter = match.groups()
    if prefix:
        if len(number) != 7:
            return False
        number = str("XYZ".index(prefix)) + number
    elif len(number) != 8:
        return False
    return _ES_CHECK_LETTERS[int(number) % 23] == letter


# Values of characters in odd positions for the check letter (even
# positions use the digit value or the letter's alphabet index).
_CF_ODD_VALUES = dict(
    zip(
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        (1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20,
         11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23),
        strict=True,
    )
)  # fmt: skip


def _it_codice_fiscale_valid(match: re.Match[str]) -> bool:
    code = match.group()
    if not any(char.isdigit() for char in code):
        return False  # an all-letter word that happens to fit the shape
    total = 0
    for index, char in enumerate(code[:15]):
        if index % 2 == 0:
            total += _CF_ODD_VALUES[char]
        else:
            total += int(char) if char.isdigit() else ord(char) - 65
    return chr(65 + total % 26) == code[15]


def _de_tax_id_valid(match: re.Match[str]) -> bool:
    digits = _digits(match.group())
    # In the first ten digits exactly one digit repeats (twice or three times).
    repeats = [count for count in Counter(digits[:10]).values() if count > 1]
    if len(repeats) != 1 or repeats[0] > 3:
        return False
    product = 10
    for char in digits[:10]:
        total = (int(char) + product) % 10 or 10
        product = (total * 2) % 11
    check = 11 - product
    return (0 if check == 10 else check) == int(digits[10])


def _ipv4_valid(match: re.Match[str]) -> bool:
    start = match.start()
    return _VERSION_CONTEXT.search(match.string, max(0, start - 12), start) is None


def _ipv6_valid(match: re.Match[str]) -> bool:
    candidate = match.group()
    # "::1" and "a::b" are valid addresses but say nothing about a person,
    # and short ones collide with C++ scopes and ratios.
    if len(candidate) < 6 or not any(char.isdigit() for char in candidate):
        return False
    try:
        ipaddress.IPv6Address(candidate)
    except ValueError:
        return False
    return True


def _phone_valid(match: re.Match[str]) -> bool:
    text = match.group()
    if _DATE_PREFIX.match(text):
        return False
    digits = _digits(text)
    if text.startswith("+"):
        return 8 <= len(digits) <= 15
    if text.startswith("00"):
        # "00" dials abroad only before a country code; "0001-2345" is a code.
        return digits[2] != "0" and 10 <= len(digits) <= 15
    return 9 <= len(digits) <= 12


def _always(_match: re.Match[str]) -> bool:
    return True


_Rule = tuple[str, re.Pattern[str], Callable[[re.Match[str]], bool]]

# Order matters: an IBAN contains a card-length run, a NIR can pass Luhn,
# and the phone patterns would swallow parts of any of them. Card and phone
# patterns also refuse to start right after another digit group ("3704 0044
# 0532 ..."): that is the middle of a longer number, such as an IBAN whose
# check digits failed.
_NUMERIC_RULES: tuple[_Rule, ...] = (
    ("national_id", _IT_CODICE_FISCALE, _it_codice_fiscale_valid),
    ("iban", _IBAN, _iban_valid),
    ("national_id", _FR_NIR, _fr_nir_valid),
    ("card", _CARD, _card_valid),
    ("national_id", _US_SSN, _always),
    ("national_id", _UK_NINO, _always),
    ("national_id", _ES_DNI_NIE, _es_dni_nie_valid),
    ("national_id", _DE_TAX_ID, _de_tax_id_valid),
    ("ip", _IPV4, _ipv4_valid),
    ("phone", _PHONE_INTERNATIONAL, _phone_valid),
    ("phone", _PHONE_NANP, _phone_valid),
    ("phone", _PHONE_TRUNK, _phone_valid),
)


def _apply(text: str, rule: _Rule, found: set[str]) -> str:
    kind, pattern, is_valid = rule
    first = pattern.search(text)
    if first is None:
        return text
    placeholder = PLACEHOLDERS[kind]

    def replace(match: re.Match[str]) -> str:
        if is_valid(match):
            found.add(kind)
            return placeholder
        return match.group()

    return pattern.sub(replace, text)


def _windows(text: str, spans: list[tuple[int, int]], slack: int) -> list[tuple[int, int]]:
    """Merged stretches around ``spans``, widened by ``slack`` and then to whitespace.

    Cutting only at whitespace means a pattern sees the same word boundaries
    in the stretch as in the whole text.
    """
    merged: list[tuple[int, int]] = []
    for span_start, span_end in spans:
        start = max(0, span_start - slack)
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        end = min(len(text), span_end + slack)
        while end < len(text) and not text[end].isspace():
            end += 1
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _mask_around(
    text: str, spans: list[tuple[int, int]], rules: tuple[_Rule, ...], slack: int, found: set[str]
) -> str:
    # Running a dozen patterns over a whole text costs about a microsecond
    # each even when nothing matches; running them only on the few short
    # stretches that could hold personal data keeps ingest fast.
    pieces: list[str] = []
    cursor = 0
    for start, end in _windows(text, spans, slack):
        window = text[start:end]
        for rule in rules:
            window = _apply(window, rule, found)
        pieces.append(text[cursor:start])
        pieces.append(window)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


_EMAIL_RULES: tuple[_Rule, ...] = (("email", _EMAIL, _email_valid),)
_IPV6_RULE: _Rule = ("ip", _IPV6_CANDIDATE, _ipv6_valid)
# Wide enough to reach an IBAN's country code and letter groups, a national
# insurance number's prefix letters or a phone number's "+".
_NUMERIC_SLACK = 16


def mask_pii(text: str) -> tuple[str, tuple[str, ...]]:
    """Replace personal data in ``text`` with placeholders.

    Returns the masked text and the sorted distinct kinds that were found
    (``card``, ``email``, ``iban``, ``ip``, ``national_id``, ``phone``).
    """
    has_at = "@" in text
    # Every kind but e-mail contains a digit: most texts stop here.
    if not has_at and _ANY_DIGIT.search(text) is None:
        return text, ()
    found: set[str] = set()
    if has_at:
        at_signs = [match.span() for match in _AT_SIGN.finditer(text)]
        text = _mask_around(text, at_signs, _EMAIL_RULES, 0, found)
    # An IPv6 address may have no long digit run, so it is looked for on its own.
    if text.count(":") >= 2:
        text = _apply(text, _IPV6_RULE, found)
    candidates = [match.span() for match in _CANDIDATE.finditer(text)]
    if candidates:
        text = _mask_around(text, candidates, _NUMERIC_RULES, _NUMERIC_SLACK, found)
    return text, tuple(sorted(found))
