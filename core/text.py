"""Text normalisation for Vietnamese names typed, pasted or imported.

`clean` is what every name goes through on the way in (NFC, trimmed, single spaces).
`fold` is the accent- and case-blind key used to match "Muong Phang" to "Mường Phăng".
`initials` masks a person's name for a reader who does not need it.
`tone_key` keeps the letters' accents but ignores where the tone mark sits, so the old and
new spellings "Hòa" and "Hoà" match while "Thành" and "Thạnh" stay apart.
"""

import functools
import re
import unicodedata

_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
_SEPARATORS = re.compile(r"[\s\-\u2013\u2014'’`]+")


def clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", clean(text).replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_SEPARATORS.split(stripped.lower())).strip()


@functools.lru_cache(maxsize=65536)
def tone_key(text: str) -> str:
    syllables = []
    for syllable in _SEPARATORS.split(clean(text).lower()):
        decomposed = unicodedata.normalize("NFD", syllable)
        tones = "".join(ch for ch in decomposed if ch in _TONE_MARKS)
        letters = "".join(ch for ch in decomposed if ch not in _TONE_MARKS)
        if letters:
            syllables.append(unicodedata.normalize("NFC", letters) + tones)
    return " ".join(syllables)


def initials(name: str) -> str:
    """A person's name masked to the initials of its words: "Giàng A Páo" → "G. A. P."
    (for pages whose reader does not need to know who)."""
    return " ".join(f"{word[0].upper()}." for word in clean(name).split())
