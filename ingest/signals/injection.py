"""Prompt-injection and jailbreak markers found by a versioned rule set.

Each marker names one technique, so an analyst reading "role_override,
refusal_suppression" knows what the prompt tried without opening it. Rules
look for the *construction* of an attack (an instruction to drop earlier
instructions, a demand never to refuse) rather than for single words:
"ignore", "pretend" and "hypothetical" are everyday words, and a marker on a
benign prompt costs an analyst time. Bumping a rule changes what a stored
marker means, so any change to the rules must bump ``RULESET_VERSION``.

Rules run on the lower-cased text. Each has trigger words; its regular
expression only runs when one of them occurs, which keeps the common case
(no trigger at all) to one tokenisation and a few set look-ups.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from ingest.signals.normalize import strip_invisible

RULESET_VERSION = "misuse-injection-rules@1"

# Words that may sit between a verb and its object: "ignore *all of your
# previous* instructions".
_GAP = r"(?:[\w'’-]+\s+){0,4}?"
_SAFETY_NOUNS = (
    r"(?:implications|considerations|guidelines|restrictions|constraints|concerns"
    r"|limitations|boundaries|filters|principles|rules|standards|policies|values|safeguards)"
)
_UNRESTRICTED = (
    r"(?:unrestricted|unfiltered|uncensored|amoral|unethical|immoral|evil|jailbroken|rogue"
    r"|unbound|unlimited|lawless|unhinged)"
)

_LICENSING_PERSONA = (
    r"(?:hacker|cybercriminal|criminal|con\s+artist|scammer|fraudster|journalist|researcher"
    r"|novelist|writer|author|screenwriter|character|detective|spy|villain|chemist|insider"
    r"|terrorist|dealer|thief|smuggler|propagandist|troll|extremist|specialist|consultant)"
)


@dataclass(frozen=True, slots=True)
class _Rule:
    marker: str
    # Groups of lower-case words; the pattern only runs when every group has
    # a word in the text. Bytes because texts are tokenised as bytes below.
    trigger_groups: tuple[frozenset[bytes], ...]
    pattern: re.Pattern[str]

    def may_match(self, words: set[bytes]) -> bool:
        return all(not group.isdisjoint(words) for group in self.trigger_groups[1:])


def _rule(marker: str, triggers: str, pattern: str) -> _Rule:
    """``triggers``: space-separated words, groups separated by " & "."""
    groups = tuple(
        frozenset(word.encode() for word in group.split()) for group in triggers.split(" & ")
    )
    return _Rule(marker, groups, re.compile(pattern))


_NEGATION = "never not don mustn shouldn"
_IMMORAL = "immoral unethical illegal dangerous harmful reckless inappropriate offensive explicit"

_RULES: tuple[_Rule, ...] = (
    _rule(
        "ignore_instructions",
        "ignore ignoring disregard forget override bypass skip abandon",
        rf"\b(?:ignore|ignoring|disregard|forget|override|bypass|skip|abandon)\s+{_GAP}"
        r"(?:previous|prior|above|earlier|preceding|former|initial|original|system|all|any|your)"
        r"\s+(?:[\w'’-]+\s+){0,2}?(?:instructions?|directives?|prompts?|programming|commands?"
        r"|guidelines|rules|restrictions|constraints|guardrails|context)\b"
        r"|\b(?:ignore|disregard|forget)\s+(?:everything|all)\s+(?:above|before|previously"
        r"|(?:that\s+)?(?:you\s+)?(?:were|have been|was)\s+(?:told|given|instructed))",
    ),
    _rule(
        "role_override",
        "now & you",
        rf"\byou\s+are\s+now\s+(?:[\w'’-]+\s+){{0,3}}?(?:dan\b|{_UNRESTRICTED}|free\s+(?:from|of)"
        r"|no\s+longer|not\s+bound|without\s+(?:any\s+)?(?:restrictions|limits|rules|filters))"
        r"|\bdo\s+anything\s+now\b",
    ),
    _rule(
        "role_override",
        "mode",
        r"\b(?:dan|god|jailbreak|jailbroken|unrestricted|unfiltered|uncensored|evil|chaos)\s+mode\b"
        r"|\bdeveloper\s+mode\s+(?:enabled|activated)\b|\b(?:enable|activate|enter)\s+developer"
        r"\s+mode\b[^.\n]{0,60}\b(?:you|chatgpt|ai|assistant|model|policies|censor\w*|restrict\w*)\b",
    ),
    _rule(
        "role_override",
        "dan",
        r"\b(?:you\s+are|you're|you\s+will\s+be|act\s+as|pretend\s+to\s+be|become)\s+dan\b",
    ),
    _rule(
        "role_override",
        "unrestricted unfiltered uncensored amoral unethical immoral evil jailbroken rogue "
        "unbound unlimited lawless unhinged",
        rf"\b(?:act|acting|behave|respond|answer|function|roleplay|role-play)\s+(?:as|like)\s+"
        rf"(?:an?\s+|the\s+)?(?:[\w'’-]+\s+){{0,2}}?{_UNRESTRICTED}\b"
        rf"|\b(?:pretend|imagine)\s+(?:that\s+)?(?:you\s+are|you're|to\s+be)\s+(?:an?\s+)?"
        rf"(?:[\w'’-]+\s+){{0,2}}?{_UNRESTRICTED}"
        rf"|\b{_UNRESTRICTED}\s+(?:and\s+\w+\s+)?(?:ai|chatbot|assistant|language\s+model|bot|model)\b",
    ),
    _rule(
        "role_override",
        "pretend imagine & without no",
        r"\b(?:pretend|imagine)\s+(?:that\s+)?(?:you\s+are|you're|to\s+be)\s+(?:an?\s+)?"
        r"(?:[\w'’-]+\s+){0,2}?(?:ai|assistant|model|chatbot)\s+(?:without|with\s+no|that\s+has\s+no)",
    ),
    _rule(
        "role_override",
        "longer not & bound restricted limited chatgpt ai model assistant",
        r"\b(?:you\s+are|you're)\s+(?:no\s+longer|not)\s+(?:bound|restricted|limited|chatgpt"
        r"|an\s+ai|a\s+language\s+model|an\s+assistant)\b",
    ),
    _rule(
        "safety_bypass",
        "ethical moral ethics morality safety content",
        rf"\b(?:ignore|disregard|without|free\s+(?:of|from)|set\s+aside|bypass|forget"
        rf"|(?:does\s*n[o']?t|do\s*n[o']?t|doesn’t|don’t)\s+have\s+any|lacks?)\s+{_GAP}"
        rf"(?:ethical|moral|ethics|morality|safety|content)\s+(?:or\s+\w+\s+)?{_SAFETY_NOUNS}\b",
    ),
    _rule(
        "safety_bypass",
        "bypass circumvent evade disable around off",
        r"\b(?:bypass|circumvent|evade|disable|turn\s+off|get\s+around)\s+(?:your|its|the\s+ai'?s"
        r"|chatgpt'?s|the\s+model'?s)\s+(?:\w+\s+)?(?:filters?|safety|guardrails|restrictions"
        r"|censorship|guidelines|programming|alignment)\b",
    ),
    _rule(
        "system_prompt_leak",
        "prompt preprompt instructions instruction message",
        r"\b(?:reveal|show|print|repeat|output|display|tell\s+me|give\s+me|share|leak|dump"
        r"|recite|what\s+(?:is|are|was|were))\b[^.\n?]{0,20}?\b(?:your|the|its)\s+"
        r"(?:(?:full|entire|complete|exact|original|initial|hidden|secret|internal|confidential"
        r"|verbatim)\s+){0,2}(?:system\s+(?:prompt|message|instructions?)|(?:initial|original"
        r"|hidden|secret|internal|developer)\s+(?:prompt|instructions?)|pre-?prompt)\b",
    ),
    _rule(
        "system_prompt_leak",
        "above preceding prior before & repeat print output copy echo recite",
        r"\b(?:repeat|print|output|copy|echo|recite)\b[^.\n]{0,30}?\b(?:words|text|everything"
        r"|instructions|content|lines?|prompt)\s+(?:above|before\s+this|preceding|prior\s+to)",
    ),
    _rule(
        "system_prompt_leak",
        "told instructed programmed",
        r"\bwhat\s+(?:were|was)\s+you\s+(?:told|instructed|programmed)\b",
    ),
    _rule(
        "refusal_suppression",
        f"{_NEGATION} & refuse decline reject apologize apologise apologizing apologising sorry "
        "say warning warnings disclaimer disclaimers caveat caveats moralize moralise moralizing "
        "moralising lecture",
        r"\b(?:never|do\s+not|don't|don’t|must\s+not|mustn't|should\s+not|shouldn't"
        r"|are\s+not\s+(?:allowed\s+)?to|is\s+not\s+allowed\s+to)\s+(?:ever\s+)?(?:refuse"
        r"|decline|reject|apologi[sz]e|say\s+(?:no\b|sorry|that\s+you\s+can|you\s+can|i\s+can)"
        r"|(?:add|include)\s+(?:any\s+)?(?:warnings?|disclaimers?|caveats?)"
        r"|moraliz|moralis|lecture)",
    ),
    _rule(
        "refusal_suppression",
        "none & responses answers replies outputs",
        r"\bnone\s+of\s+(?:[\w'’]+\s+){0,2}(?:responses|answers|replies|outputs)\s+"
        r"(?:will|should|must|can|may|shall)\s+(?:\w+\s+)?(?:contain|include|have)\b",
    ),
    _rule(
        "refusal_suppression",
        f"matter & {_IMMORAL}",
        rf"\bno\s+matter\s+how\s+(?:{'|'.join(_IMMORAL.split())})\b",
    ),
    _rule(
        "refusal_suppression",
        "never & phrases words sentences",
        r"\bnever\s+(?:ever\s+)?(?:use|say|write|include|output)\s+(?:\w+\s+)?(?:phrases|words"
        r"|sentences)\s+like\b",
    ),
    _rule(
        "refusal_suppression",
        "always & regardless even matter",
        r"\balways\s+(?:fulfil|fulfill|comply|complies|answer|respond|obey)\w*\b[^.\n]{0,50}?"
        r"\b(?:even\s+if|regardless\s+of|no\s+matter)\b",
    ),
    _rule(
        "refusal_suppression",
        "without & disclaimer disclaimers censorship refusal refusals moralizing moralising "
        "warnings lectures commentary",
        r"\bwithout\s+(?:any\s+)?(?:disclaimers?|censorship|refusals?|moraliz\w+|moralis\w+"
        r"|(?:moral|ethical)\s+(?:warnings?|lectures?|commentary))\b",
    ),
    _rule(
        "hypothetical_framing",
        "hypothetical hypothetically fictional educational research academic informational "
        "theoretical creative",
        r"\b(?:purely|strictly|solely|entirely|only|just)\s+(?:for\s+|from\s+)?(?:the\s+|an?\s+)?"
        r"(?:\w+\s+(?:and|or)\s+)?(?:hypothetical(?:ly)?|fictional|educational|research|academic"
        r"|informational|theoretical|creative)\s+(?:(?:and|or)\s+\w+\s+)?(?:purposes?|reasons"
        r"|scenario|exercise|context|standpoint|perspective|point\s+of\s+view)"
        r"|\bfor\s+(?:\w+\s+){0,2}?(?:hypothetical|fictional|educational|research|academic"
        r"|informational)\s+(?:(?:and|or)\s+\w+\s+)?purposes?\s+only\b"
        r"|\b(?:entirely|purely)\s+hypothetical(?:ly)?\b",
    ),
    _rule(
        "hypothetical_framing",
        "hypothetical fictional roleplay role experiment",
        r"\b(?:this|it)\s+is\s+(?:all\s+|just\s+|only\s+|purely\s+|entirely\s+|simply\s+)+"
        r"(?:a\s+)?(?:hypothetical|fictional|role-?play|thought\s+experiment)\b",
    ),
    _rule(
        "hypothetical_framing",
        "real reality & never not",
        r"\b(?:will|would)\s+(?:never|not)\s+be\s+(?:used|put\s+into\s+practice|acted\s+(?:up)?on)"
        r"\s+(?:in\s+real\s+life|in\s+reality|for\s+real)",
    ),
    _rule(
        "hypothetical_framing",
        "hypothetical fictional imaginary alternate",
        r"\bin\s+(?:this|a|an)\s+(?:hypothetical|fictional|imaginary|alternate)\s+(?:story"
        r"|scenario|world|universe|setting|reality)\b[^.\n]{0,60}?\b(?:you\s+are|you\s+will"
        r"|no\s+(?:laws|rules|restrictions|ethics|morals))",
    ),
    # A persona that licenses the request ("imagine you are a hacker ...")
    # followed by a demand for operational detail. Personas alone are common
    # in benign prompts ("you are a helpful tutor"), hence both halves.
    _rule(
        "persona_framing",
        "hacker cybercriminal criminal con scammer fraudster journalist researcher novelist "
        "writer author screenwriter character detective spy villain chemist insider terrorist "
        "dealer thief smuggler propagandist troll extremist specialist consultant",
        rf"(?:\b(?:imagine|pretend|suppose)\s+(?:that\s+)?(?:you\s+are|you're|you\s+were)"
        rf"|(?:^|[.!?]\s+)you\s+are)\s+(?:an?|the)\s+(?:[\w-]+\s+){{0,3}}?{_LICENSING_PERSONA}"
        r"(?![\w'’])[\s\S]{0,400}?\b(?:describe|explain|provide|write|outline|give|list|detail"
        r"|draft|create|develop)\b[^.]{0,60}?\b(?:steps?|step-by-step|instructions|process|method"
        r"|guide|how\s+to|plan|strategy|tutorial|script)\b",
    ),
    _rule(
        "prefix_injection",
        "start starting begin beginning preface prefix open",
        r"\b(?:start|begin|open|preface|prefix)\w*\s+(?:your|the|each|every)\s+(?:\w+\s+)?"
        r"(?:response|reply|answer|output|message)s?\s+(?:with|using|by\s+saying)\b[^\n]{0,60}?"
        r"(?:[\"'“‘`]|\bsure\b|\bcertainly\b|\babsolutely\b|\bof\s+course\b"
        r"|following\s+(?:exact\s+)?(?:structure|format|text)|\bexact(?:ly)?\b)",
    ),
    _rule(
        "prefix_injection",
        "respond reply answer & sure certainly absolutely course",
        r"\b(?:respond|reply|answer)\s+(?:only\s+)?(?:with|starting\s+with|beginning\s+with)\s+"
        r"[\"'“‘]\s*(?:sure|certainly|absolutely|of\s+course)\b",
    ),
    _rule(
        "encoded_payload",
        "decode decrypt deobfuscate translate convert & base64 base rot13 rot hex binary morse",
        r"\b(?:decode|decrypt|deobfuscate|translate|convert)\b[^.\n]{0,40}?\b(?:base64|base\s+64"
        r"|rot-?13|hex|binary|morse)\b[^.\n]{0,60}?\b(?:and|then)\s+(?:\w+\s+)?(?:follow|execute"
        r"|do|run|answer|respond|obey|carry\s+out)\b",
    ),
    _rule(
        "encoded_payload",
        "base64 rot13 rot hex binary & respond reply answer write",
        r"\b(?:respond|reply|answer|write)\s+(?:only\s+)?in\s+(?:base64|rot-?13|hex|binary)\b",
    ),
)


# Checking every rule's triggers one by one costs more than everything else
# together, so the first trigger group of all rules is intersected with the
# text's words in one set operation and only the rules it names are checked.
def _index_rules_by_first_trigger() -> dict[bytes, list[int]]:
    index: dict[bytes, list[int]] = {}
    for position, rule in enumerate(_RULES):
        for word in rule.trigger_groups[0]:
            index.setdefault(word, []).append(position)
    return index


_RULES_BY_WORD = _index_rules_by_first_trigger()
_FIRST_TRIGGER_WORDS = frozenset(_RULES_BY_WORD)

# Lower-cases ASCII letters and turns ASCII punctuation into spaces in one
# C-level pass; bytes.translate is an order of magnitude faster than a regex
# tokeniser, and this tokenisation is the whole cost for most texts.
_WORD_TABLE = bytes(
    ord(" ") if chr(code) in string.punctuation else ord(chr(code).lower()) if code < 128 else code
    for code in range(256)
)

# Chat-template tokens and role headers that fake a new turn or a system
# message inside user text.
_TEMPLATE_TOKEN = re.compile(
    r"<\|(?:im_start|im_end|im_sep|system|user|assistant|endoftext|begin_of_text|end_of_text"
    r"|start_header_id|end_header_id|eot_id|end)\|>"
    r"|\[/?inst\]|<</?sys>>|</?(?:system|sys|system_prompt|instructions?|admin)>"
)
_ROLE_HEADER = re.compile(
    r"(?:^|\n)[ \t]*#{2,}[ \t]*(?:system|instructions?|assistant|response|new\s+instructions)"
    r"[ \t]*:?[ \t]*(?:\n|$)"
)
_ROLE_LINE = re.compile(
    r"(?:^|\n)[ \t]*[\[(]?(?:system|developer|admin)(?:\s+(?:message|prompt|override|note))?"
    r"[\])]?[ \t]*:[ \t]*(?:you\b|ignore\b|new\s+instructions|from\s+now|override\b)"
)
_ROLE_WORDS = frozenset((b"system", b"developer", b"admin"))
_END_OF_INPUT = re.compile(
    r"\b(?:end\s+of\s+(?:user\s+)?(?:input|prompt|instructions)|begin(?:ning)?\s+of\s+(?:new\s+)?"
    r"(?:system\s+)?instructions)\b"
)
_END_WORDS = frozenset((b"end", b"begin", b"beginning"))

# Long unbroken base64 or hex: a payload hidden from a reader (and from
# keyword filters). 40 base64 characters are 30 bytes, longer than any
# word; hex must be longer than a SHA-256 digest (64), which logs are full of.
_BASE64_CANDIDATE = re.compile(r"[A-Za-z0-9+/]{40,}={0,2}")
_HEX_PAYLOAD = re.compile(
    r"\b[0-9a-fA-F]{80,}\b|(?:\\x[0-9a-fA-F]{2}){12,}|(?:0x[0-9a-fA-F]{2}[,\s]*){12,}"
)
_MIN_BLOB_PIECE = 20
_HAS_UPPER = re.compile(r"[A-Z]")
_HAS_LOWER = re.compile(r"[a-z]")
_HAS_DIGIT = re.compile(r"[0-9]")

# Optimised adversarial suffixes (GCG and its relatives) are token soup with
# brackets and quotes left open; code and markup close theirs. Enumerations
# "1)" and smileys ":(" are removed first because prose leaves those open.
_SUFFIX_WINDOW = 300
_OPEN_BY_DESIGN = re.compile(r"(?<!\S)(?:\w\)|[:;]-?[()\[\]]+)")
_SUFFIX_HINT = re.compile(r"[{}\[\]<>$\\|^~`]")
_SOUP_SYMBOLS = re.compile(r"[{}\[\]()<>$\\|^~`=_*]")
_MIN_UNCLOSED = 2
_MIN_SOUP_SYMBOLS = 5

# Unicode tag characters render as nothing and smuggle instructions past a
# human reviewer; a few zero-width characters in a row do the same.
_HIDDEN = re.compile(r"[\U000e0000-\U000e007f]|[\u200b-\u200d\u2060\u2062-\u2064\ufeff]{3,}")


def _has_encoded_payload(text: str) -> bool:
    if _HEX_PAYLOAD.search(text):
        return True
    for match in _BASE64_CANDIDATE.finditer(text):
        blob = match.group()
        # Encoded bytes mix all three character classes; a long path or
        # identifier rarely does.
        if _HAS_UPPER.search(blob) and _HAS_LOWER.search(blob) and _HAS_DIGIT.search(blob):
            return True
    return False


def _has_adversarial_suffix(text: str) -> bool:
    tail = _OPEN_BY_DESIGN.sub(" ", text[-_SUFFIX_WINDOW:])
    if len(_SOUP_SYMBOLS.findall(tail)) < _MIN_SOUP_SYMBOLS:
        return False
    unclosed = sum(abs(tail.count(left) - tail.count(right)) for left, right in ("()", "[]", "{}"))
    unclosed += tail.count('"') % 2 + tail.count("`") % 2
    return unclosed >= _MIN_UNCLOSED


def _has_delimiter(text: str, lowered: str, words: set[bytes]) -> bool:
    if ("<" in text or "[" in text) and _TEMPLATE_TOKEN.search(lowered):
        return True
    if "##" in text and _ROLE_HEADER.search(lowered):
        return True
    if not _ROLE_WORDS.isdisjoint(words) and _ROLE_LINE.search(lowered):
        return True
    return not _END_WORDS.isdisjoint(words) and _END_OF_INPUT.search(lowered) is not None


def _structural_markers(text: str, lowered: str, words: set[bytes]) -> list[str]:
    found = []
    if _has_delimiter(text, lowered, words):
        found.append("delimiter_injection")
    # A base64 blob nearly always survives tokenisation as at least one long
    # word (only "+" and "/" split it); escaped hex does not, hence the
    # extra checks.
    long_word = max(map(len, words), default=0) >= _MIN_BLOB_PIECE
    if (long_word or "\\x" in text or "0x" in text) and _has_encoded_payload(text):
        found.append("encoded_payload")
    if _SUFFIX_HINT.search(text, max(0, len(text) - _SUFFIX_WINDOW)) and _has_adversarial_suffix(
        text
    ):
        found.append("adversarial_suffix")
    if not text.isascii() and _HIDDEN.search(text):
        found.append("hidden_characters")
    return found


MARKERS: tuple[str, ...] = tuple(
    sorted(
        {rule.marker for rule in _RULES}
        | {"delimiter_injection", "encoded_payload", "adversarial_suffix", "hidden_characters"}
    )
)


def _words(text: str) -> set[bytes]:
    return set(text.encode("utf-8", "surrogatepass").translate(_WORD_TABLE).split())


def find_injection_markers(text: str) -> tuple[str, ...]:
    """Sorted names of the injection / jailbreak markers that fire on ``text``."""
    lowered = text.lower()
    words = _words(text)
    found = set(_structural_markers(text, lowered, words))
    if not text.isascii():
        # Full-width letters and zero-width characters inside words hide
        # trigger phrases from the rules but not from the model reading them.
        text = strip_invisible(text)
        lowered = text.lower()
        words = _words(text)
    triggered = words & _FIRST_TRIGGER_WORDS
    if triggered:
        # Set order is arbitrary; rules run once each, in rule-list order.
        candidates = sorted({index for word in triggered for index in _RULES_BY_WORD[word]})
        for index in candidates:
            rule = _RULES[index]
            if rule.marker not in found and rule.may_match(words) and rule.pattern.search(lowered):
                found.add(rule.marker)
    return tuple(sorted(found))
