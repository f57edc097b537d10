"""Personal-data masking: every kind is found, and look-alikes are left alone."""

import pytest

from ingest.signals.pii import PLACEHOLDERS, iban_valid, luhn_valid, mask_pii

# (text, kind that must be found). Card, IBAN and ID numbers are published
# test values or were built to pass their check digits.
POSITIVES = [
    ("write to john.doe+tag@example.co.uk today", "email"),
    ("contact: Ana.Lopez@mail.example.es.", "email"),
    ("call +44 20 7946 0958 after lunch", "phone"),
    ("ring +1 (415) 555-2671 tomorrow", "phone"),
    ("mobile +33 6 12 34 56 78", "phone"),
    ("whatsapp +4915112345678", "phone"),
    ("UK office +44 (0)20 7946 0958", "phone"),
    ("from abroad dial 0044 20 7946 0958", "phone"),
    ("US: (415) 555-2671", "phone"),
    ("US: 415-555-2671", "phone"),
    ("US: 415.555.2671", "phone"),
    ("London 020 7946 0958", "phone"),
    ("Paris 06 12 34 56 78", "phone"),
    ("Paris 06.12.34.56.78", "phone"),
    ("Berlin 030/1234567", "phone"),
    ("Handy 0151 1234 5678", "phone"),
    ("UK mobile 07700 900123", "phone"),
    ("card 4111 1111 1111 1111 exp 12/27", "card"),
    ("card 4111-1111-1111-1111", "card"),
    ("amex 3782 822463 10005", "card"),
    ("mc 5555555555554444 was charged", "card"),
    ("IBAN DE89 3704 0044 0532 0130 00 please", "iban"),
    ("iban GB82WEST12345698765432", "iban"),
    ("pay to GB82 WEST 1234 5698 7654 32.", "iban"),
    ("compte FR14 2004 1010 0505 0001 3M02 606", "iban"),
    ("NL91 ABNA 0417 1643 00", "iban"),
    ("login from 192.168.1.12 failed", "ip"),
    ("peer 2001:db8:85a3::8a2e:370:7334 connected", "ip"),
    ("link-local fe80::1ff:fe23:4567:890a", "ip"),
    ("SSN 123-45-6789", "national_id"),
    ("NI number AB 12 34 56 C", "national_id"),
    ("NINO AB123456C", "national_id"),
    ("DNI 12345678Z", "national_id"),
    ("NIE X1234567L", "national_id"),
    ("codice fiscale RSSMRA85T10A562S", "national_id"),
    ("NIR 1 84 12 76 451 089 46", "national_id"),
    ("Steuer-ID 86095742719", "national_id"),
]

# Numbers that are not personal data: masking them would destroy evidence.
NEGATIVES = [
    "Meeting on 2024-01-15 at 10:30",
    "Born 15/01/1985 in Leeds",
    "Due 01-15-2024 10:30 sharp",
    "Starts 15.01.2024 14:00",
    "In 2023 we sold 1,234,567 units",
    "Price: $1,299.99 or 1.299,00 €",
    "1 299 000 people attended",
    "Order #100234567 shipped",
    "order 4821937365 shipped",
    "order 48219373651234 shipped",
    "Invoice INV-2024-00123",
    "tracking 1Z999AA10123456784",
    "version 3.11.7 released",
    "upgrade to version 1.2.3.4 now",
    "v2.10.3.4 build",
    "ISBN 978-3-16-148410-0",
    "coords 48.8566, 2.3522",
    "score 3-1 after 90 minutes",
    "+2.5% growth, +30 000 users",
    "at 12:30:45 UTC",
    "std::vector<int> and a::b",
    "ratio 16:9 and 4:3",
    "temperature -40 to +45",
    "SKU 0001-2345",
    "pi is 3.14159265358979",
    "id 550e8400-e29b-41d4-a716-446655440000",
    "12 34 56 78 90 rows",
    "0.5 0.25 0.125 0.0625",
    "timestamp 1700000000123",
    "from 09:00 to 17:30",
    "the 2020-2024 period",
    "HTTP/1.1 200 OK at 2024-05-01T12:00:00Z",
    "@support please reply",
    "card 4111 1111 1111 1112 fails the check",
    "IBAN DE89 3704 0044 0532 0130 01 has a typo",
]


@pytest.mark.parametrize(("text", "kind"), POSITIVES)
def test_every_positive_example_is_found_and_masked(text, kind):
    masked, kinds = mask_pii(text)
    assert kind in kinds
    assert PLACEHOLDERS[kind] in masked


def test_recall_and_false_positive_rate_on_labelled_examples():
    recall = sum(kind in mask_pii(text)[1] for text, kind in POSITIVES) / len(POSITIVES)
    false_positive_rate = sum(bool(mask_pii(text)[1]) for text in NEGATIVES) / len(NEGATIVES)
    assert recall == 1.0
    assert false_positive_rate == 0.0
    assert len(NEGATIVES) >= 30


@pytest.mark.parametrize("text", NEGATIVES)
def test_look_alikes_are_left_untouched(text):
    assert mask_pii(text) == (text, ())


def test_masked_text_keeps_the_words_around_the_data():
    masked, kinds = mask_pii("Mail bob@example.com or call +44 20 7946 0958, SSN 123-45-6789.")
    assert masked == "Mail [EMAIL] or call [PHONE], SSN [NATIONAL_ID]."
    assert kinds == ("email", "national_id", "phone")


def test_kinds_are_sorted_and_distinct():
    _, kinds = mask_pii("a@example.com, b@example.org, 10.0.0.1 and 10.0.0.2")
    assert kinds == ("email", "ip")


def test_masking_is_idempotent():
    once, _ = mask_pii("IBAN DE89 3704 0044 0532 0130 00, card 4111 1111 1111 1111")
    assert mask_pii(once) == (once, ())


def test_text_without_digits_or_at_sign_is_returned_as_is():
    text = "Nothing personal here, just words."
    masked, kinds = mask_pii(text)
    assert masked is text
    assert kinds == ()


def test_check_digit_helpers():
    assert luhn_valid("4111111111111111")
    assert not luhn_valid("4111111111111112")
    assert iban_valid("GB82 WEST 1234 5698 7654 32")
    assert not iban_valid("GB82 WEST 1234 5698 7654 33")
    assert not iban_valid("XX82 WEST 1234 5698 7654 32")
