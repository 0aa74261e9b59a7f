"""Contact guard: before a contract exists, contact details typed into messages are masked.

`guard(text)` finds email addresses (also spelled "name at domain dot com"), phone numbers,
messenger handles ("skype: jane.doe", "@janedoe", "WhatsApp me on …") and links to chat outside
the platform (wa.me, t.me, discord.gg, …) and returns the text with each replaced by a marker,
plus the kinds found. Prices, dates, times, version numbers, percentages, quantities and plain
links to documentation are left alone: a false alarm costs a message its meaning.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MASK = "[contact details removed]"

EMAIL = "email"
PHONE = "phone"
HANDLE = "messenger"
LINK = "off-platform link"

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)
# "jane dot doe at gmail dot com", "jane(at)example(dot)org", "jane [at] example [dot] com"
_SPELLED_EMAIL_RE = re.compile(
    r"\b[\w.+-]+(?:\s*(?:\.|\(dot\)|\[dot\]|\s+dot\s+)\s*[\w+-]+)*"
    r"\s*(?:\(at\)|\[at\]|\{at\}|\s+at\s+)\s*"
    r"[\w-]+(?:\s*(?:\(dot\)|\[dot\]|\{dot\}|\s+dot\s+|\.)\s*[\w-]+)*"
    r"\s*(?:\(dot\)|\[dot\]|\{dot\}|\s+dot\s+)\s*(?:com|net|org|de|fr|uk|io|co|info|eu|nl|es|it)\b",
    re.IGNORECASE,
)
_CHAT_DOMAINS = (
    r"wa\.me|api\.whatsapp\.com|chat\.whatsapp\.com|whatsapp\.com|t\.me|telegram\.me|"
    r"telegram\.org|discord\.gg|discord\.com/invite|discordapp\.com|join\.skype\.com|"
    r"skype\.com|m\.me|messenger\.com|signal\.me|signal\.group|line\.me|viber\.com|"
    r"wechat\.com|zoom\.us|meet\.google\.com|teams\.microsoft\.com|calendly\.com|"
    r"linkedin\.com/in|instagram\.com/|facebook\.com/|fb\.com/|twitter\.com/|tiktok\.com/@?|"
    r"snapchat\.com/add|threads\.net/@?"
)
_LINK_RE = re.compile(
    rf"(?:https?://)?(?:www\.)?(?:{_CHAT_DOMAINS})(?:/[^\s<>\"']*)?|\bskype:[\w.:-]+(?:\?\w+)?",
    re.IGNORECASE,
)
_APPS = (
    r"skype|telegram|whats\s?app|wa|signal|discord|wechat|viber|line|snapchat|snap|"
    r"instagram|insta|ig|facebook|fb|messenger|kik|threema|teams|icq|linkedin|"
    r"gmail|googlemail|yahoo|hotmail|outlook|proton(?:mail)?|icloud|gmx|aol"
)
# "skype: jane.doe", "Telegram @jane_d", "my discord is jane#1234", "add me on WhatsApp 0151…"
_HANDLE_RE = re.compile(
    rf"\b(?:{_APPS})\b"
    r"(?:\s*(?:id|handle|name|username|user|number|no\.?|nr\.?))?"
    r"(?:\s*[:=]|\s+is|\s+me\s+(?:on|at)|\s+(?=@))"
    r"\s*@?[\w][\w.#-]{2,}\w",
    re.IGNORECASE,
)
# "skype (same as everywhere) :john.doe_42": an app name, a few words, a colon, a handle that
# looks like one (a dot, underscore or digit in it).
_LOOSE_HANDLE_RE = re.compile(
    rf"\b(?:{_APPS})\b[^\n:]{{0,40}}:\s*@?(?=[\w.#-]*[\d._])[a-z_][\w.#-]{{2,}}\w",
    re.IGNORECASE,
)
_AT_HANDLE_RE = re.compile(r"(?<![\w@/])@[a-z_][\w.]{2,30}\w\b", re.IGNORECASE)
_DISCORD_TAG_RE = re.compile(r"\b[a-z_][\w.]{1,31}#\d{4}\b", re.IGNORECASE)
# "add me on / reach me at / call me on" followed by something: the phone or handle test catches
# the rest; this one only catches app names with a handle after them (above).

# Digits with phone-like separators: "+49 30 1234567", "(555) 123-4567", "0151/2345 6789".
_PHONE_RE = re.compile(r"(?<![\w.,/])(?:\+|00)?\(?\d[\d\s().\-/]{6,}\d(?![\w%])")
_DATE_RE = re.compile(
    r"^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})"
    r"(?:\s*[-\u2013/]\s*(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}))?$"
)
_GROUPED_NUMBER_RE = re.compile(r"^\d{1,3}(?:[,.\s]\d{3})+(?:[.,]\d{1,2})?$")
_VERSION_RE = re.compile(r"^\d+(?:\.\d+){1,3}$")
_RANGE_RE = re.compile(r"^\d{1,6}\s*[-\u2013]\s*\d{1,6}$")
_CURRENCY_NEAR = re.compile(
    r"(?:[$€£¥]|\b(?:eur|euro|euros|usd|gbp|chf|dollars?|pounds?)\b)\s*$", re.IGNORECASE
)
_CURRENCY_AFTER = re.compile(
    r"^\s*(?:[$€£¥]|(?:eur|euro|euros|usd|gbp|chf|dollars?|pounds?|k|m)\b)", re.IGNORECASE
)
_VERSION_BEFORE = re.compile(
    r"(?:\bv|\bversion|\brelease|\bbuild|\bpython|\bdjango|\bnode|\bjava|\bphp|\bios|\bandroid)"
    r"\s*$",
    re.IGNORECASE,
)
_REFERENCE_BEFORE = re.compile(
    r"(?:\biso|\bdin|\ben|\biec|\bastm|\binvoice|\border|\bpo|\bref|\breference|\bticket|"
    r"\bpart|\bitem|\bsku|\bserial|\bno\.|\bnr\.|#)"
    r"(?:\s*(?:number|no\.?|nr\.?))?(?:\s+is)?\s*:?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class GuardResult:
    text: str
    found: tuple[str, ...]

    @property
    def masked(self) -> bool:
        return bool(self.found)


def _is_phone(match: re.Match[str], text: str) -> bool:
    candidate = match.group(0).strip()
    digits = re.sub(r"\D", "", candidate)
    if len(digits) < 8 or len(digits) > 15:
        return False
    before = text[max(0, match.start() - 24) : match.start()]
    after = text[match.end() : match.end() + 8]
    if _CURRENCY_NEAR.search(before) or _CURRENCY_AFTER.match(after):
        return False
    if _VERSION_BEFORE.search(before) or _REFERENCE_BEFORE.search(before):
        return False
    if after.startswith("%"):
        return False
    plain = candidate.strip("() ")
    if _DATE_RE.match(plain) or _VERSION_RE.match(plain) or _RANGE_RE.match(plain):
        return False
    # Grouped thousands ("1,250,000.00", "2 500 000") are amounts unless they start with + or 0.
    return not (_GROUPED_NUMBER_RE.match(plain) and not plain.startswith(("+", "0")))


def _scan(text: str) -> GuardResult:
    found: list[str] = []

    def replace(kind: str):  # type: ignore[no-untyped-def]
        def _sub(match: re.Match[str]) -> str:
            if kind not in found:
                found.append(kind)
            return MASK

        return _sub

    result = _LINK_RE.sub(replace(LINK), text)
    result = _EMAIL_RE.sub(replace(EMAIL), result)
    result = _SPELLED_EMAIL_RE.sub(replace(EMAIL), result)
    result = _HANDLE_RE.sub(replace(HANDLE), result)
    result = _LOOSE_HANDLE_RE.sub(replace(HANDLE), result)
    result = _DISCORD_TAG_RE.sub(replace(HANDLE), result)
    result = _AT_HANDLE_RE.sub(replace(HANDLE), result)

    def phone(match: re.Match[str]) -> str:
        if not _is_phone(match, result):
            return match.group(0)
        if PHONE not in found:
            found.append(PHONE)
        return MASK

    result = _PHONE_RE.sub(phone, result)
    return GuardResult(text=result, found=tuple(found))


# Characters that render as nothing: used to split "jane@\u200bgmail.com" so no pattern sees it.
_INVISIBLE_RE = re.compile(
    "[\u00ad\u034f\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]"
)
_NUMBER_WORDS = {
    "zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
    "six": "6", "seven": "7", "eight": "8", "nine": "9",
    "null": "0", "eins": "1", "zwei": "2", "drei": "3", "vier": "4", "fünf": "5", "sechs": "6",
    "sieben": "7", "acht": "8", "neun": "9",
}  # fmt: skip
_NUMBER_WORD = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
# Four or more number words in a row ("oh one five one two three ..."): a spelled-out number.
_NUMBER_WORDS_RUN_RE = re.compile(
    rf"\b(?:{_NUMBER_WORD})(?:[\s,-]+(?:{_NUMBER_WORD})){{3,}}\b", re.IGNORECASE
)
# Single characters spaced out: "j o h n @ g m a i l . c o m", "0 1 5 1 2 3 4".
_SPACED_RE = re.compile(r"(?<!\S)(?:[^\s][ \t]+){3,}[^\s](?!\S)")
# Letters standing in for digits inside a run of digits: "I7O" is 170, "0l5l" is 0151.
_LOOKALIKE_RUN_RE = re.compile(
    r"(?<![\w])(?=[0-9OoIl|]*[0-9])(?=[0-9OoIl|]*[OoIl|])[0-9OoIl|]{3,}(?![\w])"
)
_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})


def normalise(text: str) -> str:
    """The text as a reader would read it: compatibility forms folded (full-width at signs
    and dots), invisible characters dropped, spelled-out and spaced-out digits and letters
    joined, and look-alike letters inside digit runs read as the digits they imitate."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE_RE.sub("", text)
    text = _NUMBER_WORDS_RUN_RE.sub(
        lambda m: " ".join(_NUMBER_WORDS[w.lower()] for w in re.findall(r"\w+", m.group(0))),
        text,
    )
    text = _SPACED_RE.sub(lambda m: re.sub(r"[ \t]+", "", m.group(0)), text)
    return _LOOKALIKE_RUN_RE.sub(lambda m: m.group(0).translate(_LOOKALIKES), text)


def guard(text: str) -> GuardResult:
    """The text with contact details replaced by MASK, and which kinds were found.

    The patterns run on the text as written and, when that finds nothing, on its normalised
    form; a disguised contact returns the normalised text with the contact masked."""
    direct = _scan(text)
    if direct.masked:
        return direct
    normalised = normalise(text)
    if normalised == text:
        return direct
    disguised = _scan(normalised)
    return disguised if disguised.masked else direct


def explain(found: tuple[str, ...] | list[str]) -> str:
    """The sentence the sender sees under a masked message."""
    if not found:
        return ""
    kinds = ", ".join(found)
    return (
        f"We removed contact details ({kinds}) from your message. Until a contract exists, "
        "talk here on Guildhall: it keeps a record both sides can rely on and protects your "
        "payment. Once a contract is made, you can share them freely."
    )


def validate_no_contact_details(value: str) -> None:
    """For text shown before any contract (bid proposals, public headline and bio, file names):
    refused with a message rather than masked, so the writer can rephrase it."""
    found = guard(value or "").found
    if found:
        raise ValidationError(
            _(
                "Remove the contact details (%(kinds)s): until a contract exists, clients and "
                "experts talk on Guildhall."
            ),
            code="contact_details",
            params={"kinds": ", ".join(found)},
        )
