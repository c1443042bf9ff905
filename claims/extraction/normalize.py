"""Text normalisation shared by the extractor, the scorer and the source registry.

``normalize_key`` is the one function that turns any written form of a name or
a span into a comparison key. The source registry stores it on every alias, the
evaluator uses it for the guidelines' metric, and search uses it for queries,
so a change here changes all three together.
"""

from __future__ import annotations

import re
import unicodedata

# Arabic letter variants that Persian text should spell with Persian letters.
LETTERS = {
    "ي": "ی",
    "ى": "ی",
    "ئ": "ی",
    "ك": "ک",
    "ة": "ه",
    "ۀ": "ه",
    "أ": "ا",
    "إ": "ا",
    "ٱ": "ا",
    "ؤ": "و",
}

# Persian (U+06F0..) and Arabic-Indic (U+0660..) digits to ASCII.
DIGITS = {**{chr(0x06F0 + i): str(i) for i in range(10)}, **{chr(0x0660 + i): str(i) for i in range(10)}}

# Zero-width and bidi controls, BOM, tatweel and Arabic diacritics (harakat,
# superscript alef, hamza above/below marks): a regex character class.
INVISIBLE = "[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u0640\u064b-\u065f\u0670\u06d6-\u06ed]"

# Direction marks, embeddings and isolates alone (ZWNJ and the rest stay): what the desk
# strips from typed input and shows as visible markers in article text.
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")

_LETTERS = str.maketrans(LETTERS)
_DIGITS = str.maketrans(DIGITS)
_DROP = re.compile(INVISIBLE)

# Every run of punctuation or white space becomes one space.
_SEPARATORS = re.compile(r"[\s\W_]+", re.UNICODE)


def normalize_key(text: str) -> str:
    """Return the comparison key of ``text``: NFKC, Persian letters, ASCII
    digits, no zero-width/bidi/tatweel/diacritics, punctuation and spaces
    collapsed to single spaces, lower-cased Latin, trimmed."""
    text = unicodedata.normalize("NFKC", text)
    text = _DROP.sub("", text)
    text = text.translate(_LETTERS).translate(_DIGITS)
    text = _SEPARATORS.sub(" ", text)
    return text.strip().lower()
