"""Names for articles that came without one: a headline, an excerpt, a credit.

Pure text-shape rules (``str`` in, ``str`` out), so the ingest service can name
an article from its own text before any extraction runs:

- ``headline(text)``: the first line when it reads as a headline (short, not a
  sentence ending in a period or a finite verb, not a label or a dateline),
  else the first sentence, cut short at a word boundary;
- ``excerpt(text, title)``: the opening of the body, after the headline line;
- ``credit_names(text)``: the outlet names a text credits itself to in its
  opening or closing lines (``به گزارش ایسنا،``, ``خبرگزاری فوتبال ایران:``,
  ``تهران - ایرنا -``, ``ایسنا/``, ``تسنیم ، ۸ اردیبهشت``, ``منبع: ایرنا``,
  ``./ خبرفوری``, ``(ایسنا)``), longest first, for the caller to look up in the
  registry (with ``outlet_name_forms``: "ایسنا" is also "خبرگزاری ایسنا");
- ``url_host(url)``: the host (and path) a publisher is looked up by.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

HEADLINE_MAX = 120
TITLE_CUT = 90
EXCERPT_CUT = 200
ELLIPSIS = "…"

_WS = re.compile(r"\s+")
# Bullets and emoji a channel post opens with ("🔴", "🔹", "■").
_LEADING_SYMBOLS = re.compile(r"^[^\w«\"“(\[]+", re.UNICODE)
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
# A sentence ends at . ! ? ؟ or a closing quote after one, followed by space.
_SENTENCE_END = re.compile(r"(?<=[.!?؟…])[»\"”']?\s+|\n+")
_TRAILING_PUNCT = " \t.,،:؛;!?؟-–—«»\"'()[]"

# Labels that open a news page but are not its headline.
_LABELS = re.compile(
    r"^(?:خبر\s*فوری|فوری|اختصاصی|کد\s*(?:خبر|مطلب)|شناسه\s*(?:خبر|مطلب)|تاریخ(?:\s*انتشار)?|"
    r"(?:زمان\s*)?انتشار|منبع|نویسنده|گروه|سرویس|دسته[\u200c\s]*بندی|بازدید|چاپ|"
    r"عکس|ویدئو|ویدیو|تصویر|(?:گزارش|خبر)\s*تصویری|به\s*گزارش|به\s*نقل\s*از|"
    r"breaking|source|by)(?![\w\u200c])",
    re.IGNORECASE,
)
# A dateline: "تهران - ایرنا -", "(ایسنا) -", "واشنگتن ـ".
_DATELINE = re.compile(r"^[\w\u200c\s()]{0,40}\s*[-–—ـ]\s*[\w\u200c\s()]{0,30}\s*[-–—ـ]?\s*$")
_DATELINE_PREFIX = re.compile(r"^[\w\u200c]{2,20}\s*[-–—ـ]\s*[\w\u200c]{2,20}\s*[-–—ـ]\s*")
# "خبرگزاری مهر، گروه استان‌ها: ..." opens with the outlet and its desk.
_DESK_PREFIX = re.compile(r"^[^:،,«»\n]{2,40}[،,]\s*(?:گروه|سرویس)[^:\n]{0,30}[:：]\s*")
_DATE_ONLY = re.compile(r"^[\d۰-۹٠-٩\s/:\-.،,]+(?:[\w\u200c]+\s*){0,3}[\d۰-۹٠-٩\s/:\-.]*$")


# Finite verbs that end a Persian sentence (a headline can end in one too, but
# a long line ending in one is the first sentence of the body).
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_FINAL_VERBS = _words(
    "است بود شد کرد گفت داد نمود گردید دارد دارند کند کنند شود شوند باشد باشند هست هستند "
    "نیست نیستند افزود کرده‌است شده‌است خواهد‌شد"
)
_PREFIXED_VERB = re.compile(r"^ن?می[\u200c ]?\S+(?:د|ند|م|یم|ید|ی)$")
_PERFECT_VERB = re.compile(r"\S+ه[\u200c ]?(?:است|اند|ایم|اید|ام)$")


def _clean(line: str) -> str:
    return _WS.sub(" ", line).strip()


def _lines(text: str) -> list[str]:
    return [line for line in (_clean(raw) for raw in text.splitlines()) if line]


def _ends_with_verb(line: str) -> bool:
    words = line.rstrip(_TRAILING_PUNCT).split(" ")
    if not words:
        return False
    last = words[-1]
    two = " ".join(words[-2:])
    return last in _FINAL_VERBS or bool(_PREFIXED_VERB.match(last)) or bool(_PERFECT_VERB.search(two))


def _is_label_or_dateline(line: str) -> bool:
    return bool(
        _LABELS.match(line) or _DATELINE.match(line) or _DATE_ONLY.match(line) or line.endswith((":", "："))
    )


def reads_as_headline(line: str) -> bool:
    """A short line of words, not a sentence with a final period or verb, not a
    label, dateline or date."""
    line = _clean(line)
    if not line or len(line) > HEADLINE_MAX or len(_LETTER.findall(line)) < 6:
        return False
    if len(line.split(" ")) < 2 or _is_label_or_dateline(line):
        return False
    if line.endswith((".", "…", "،", ",", "؛", ";")):
        return False
    return not _ends_with_verb(line)


def cut_at_word(text: str, limit: int) -> str:
    """``text`` if it fits, else its longest word-bounded prefix within ``limit``
    characters followed by an ellipsis."""
    text = _clean(text)
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    space = cut.rfind(" ")
    head = cut[:space] if space > limit // 2 else text[:limit]
    return head.rstrip(_TRAILING_PUNCT) + ELLIPSIS


def _strip_credit(sentence: str) -> str:
    """Drop an opening credit or dateline from a sentence that becomes a title."""
    sentence = _DATELINE_PREFIX.sub("", sentence)
    sentence = _DESK_PREFIX.sub("", sentence)
    match = re.match(r"^(?:به\s*گزارش|به\s*نقل\s*از)\s[^،,:]{1,80}[،,:]\s*", sentence)
    if match and _LETTER.search(sentence[match.end() :]):
        sentence = sentence[match.end() :]
    return sentence


def first_sentence(text: str) -> str:
    """The first sentence of the body, with an opening credit or dateline dropped;
    a label line of its own ("خبر فوری") is passed over."""
    lines = _lines(text)
    for index, line in enumerate(lines):
        if index + 1 < len(lines) and _is_label_or_dateline(line) and len(line) < 60:
            continue
        body = _strip_credit(line)
        sentence = _SENTENCE_END.split(body, maxsplit=1)[0]
        if _LETTER.search(sentence):
            return sentence
    return _clean(text)


def _lines_clean(text: str) -> list[str]:
    return [line for line in (_LEADING_SYMBOLS.sub("", line) for line in _lines(text)) if line]


def headline(text: str) -> str:
    """A title for ``text``: its headline line (the first line past the labels and
    datelines a page opens with: "کد خبر: ...", "انتشار: ..."), else its first
    sentence cut short."""
    lines = _lines_clean(text)
    for index, line in enumerate(lines[:4]):
        if index + 1 < len(lines) and reads_as_headline(line):
            return line
        if not _is_label_or_dateline(line):
            break
    sentence = _LEADING_SYMBOLS.sub("", first_sentence(text))
    return cut_at_word(sentence, TITLE_CUT) if sentence else ""


def excerpt(text: str, title: str = "", limit: int = EXCERPT_CUT) -> str:
    """The opening of the body: the text after its headline line (when the title
    is one of the first lines), cut at a word boundary."""
    lines = _lines(text)
    title = _clean(title)
    for index, line in enumerate(lines[:3]):
        if title and line == title and index + 1 < len(lines):
            lines = lines[index + 1 :]
            break
    return cut_at_word(" ".join(lines), limit)


# --- credit lines --------------------------------------------------------------

_CREDIT_OPENERS = re.compile(
    r"(?:^|[\s(])(?:به\s*گزارش|به\s*نقل\s*از|منبع\s*[:：]|به\s*نوشته(?:‌ی|ٔ)?|گزارش\s*از)\s*"
    r"(?P<name>[^،,:؛;.\n«»()]{2,80})"
)
# "تسنیم , 8 اردیبهشت 1403": an outlet's name and the date, a page's byline.
_NAME_DATE = re.compile(r"^(?P<name>[^\d۰-۹,،:|/\n]{2,40}?)\s*[,،]\s*[\d۰-۹]")
# "ایسنا/ تهران" or "ایرنا - رئیس‌جمهور ...": an agency's code opening the body.
_AGENCY_CODE = re.compile(r"^(?P<name>[\w\u200c]+(?: [\w\u200c]+){0,2})\s*(?:/|\s[-–—ـ]\s)")
# A closing credit in parentheses: "... گفت. (ایسنا)".
_CLOSING_PAREN = re.compile(r"\((?P<name>[^()\d\n]{2,30})\)\s*$")
# "خبرگزاری فوتبال ایران:" or "ایرنا:" alone at the start of a line (a credit before the body).
_NAME_COLON = re.compile(
    r"^(?P<name>[^\s:،,«»|][^:،,«»|\n]{1,60}?)(?:\s*[،,]\s*(?:گروه|سرویس|خبرنگار)[^:\n]{0,30})?\s*[:：|]\s*\S"
)
# A closing credit: "... ادامه خواهند داد./ خبرفوری", "(منبع: ایرنا)".
_CLOSING_CREDIT = re.compile(
    r"(?:[./]\s*/|^منبع\s*[:：]|^source\s*[:：])\s*(?P<name>[^/.:\n]{2,40})\)?\s*$", re.IGNORECASE
)
# "تهران - ایرنا -" at the start.
_DATELINE_NAME = re.compile(r"^[\w\u200c]{2,20}\s*[-–—ـ]\s*(?P<name>[\w\u200c ]{2,30}?)\s*[-–—ـ]")
_PAREN_NAME = re.compile(r"^\((?P<name>[^()\n]{2,40})\)\s*[-–—ـ]?")
# Words that stand before the outlet's name in a credit ("خبرنگار سیاسی
# خبرگزاری تسنیم", "پایگاه خبری تابناک") and are dropped before the lookup.
_ROLE_WORDS = _words(
    "خبرنگار خبرنگاران گروه سرویس پایگاه خبری اطلاع‌رسانی اطلاع رسانی سایت وبسایت وب‌سایت "
    "سیاسی اقتصادی اقتصاد ورزشی اجتماعی فرهنگی بین‌الملل بین‌المللی پارلمانی دفاعی علمی دانشگاهی "
    "حوزه استان‌ها اعزامی ما خارجی داخلی فضای مجازی شبکه‌های اجتماعی ترجمه گزارش رسانه رسانه‌ای "
    "تحریریه دبیرخانه"
)
# Where a credited name ends: the next credit, or a preposition of the body.
_NAME_END = re.compile(r"\s(?:به\s*نقل\s*از|از|در|درباره|روز|امروز|دیروز|که|و)\s")
# The next credit ends a phrase for good ("به گزارش فارس به نقل از رویترز");
# an outlet's name is looked for up to there, past "و" ("گروه علمی و دانشگاهی
# خبرگزاری فارس").
_NEXT_CREDIT = re.compile(r"\s(?:به\s*نقل\s*از|که)\s")
_WINDOW_MAX = 6


_AFTER_ROLE = _words("خبرنگار خبرنگاران گروه سرویس")
_OUTLET_HEADS = _words("خبرگزاری خبرگزاري روزنامه شبکه پایگاه سایت رادیو تلویزیون هفته‌نامه ماهنامه")


def _prefixes(words: list[str]) -> list[str]:
    words = words[:_WINDOW_MAX]
    return [" ".join(words[:size]) for size in range(len(words), 0, -1)]


def _windows(phrase: str) -> list[str]:
    """The name's possible extents, longest first: the phrase with role words
    dropped from its start and its prefixes ("ایسنا" in "ایسنا امروز"), then the
    same from each outlet word ("خبرگزاری فارس" in "گروه اقتصاد خبرگزاری فارس")
    and after each role word ("فارس" in "خبرنگار قضایی فارس"). Never any later
    word alone, so an unknown "خبرگزاری فوتبال ایران" is not read as the
    newspaper "ایران"."""
    phrase = _clean(phrase).replace("رسانه ای", "رسانه‌ای").replace("اطلاع رسانی", "اطلاع‌رسانی")
    whole = _NEXT_CREDIT.split(" " + phrase + " ", maxsplit=1)[0].split()
    head = next((i for i, w in enumerate(whole) if w in _OUTLET_HEADS), None)
    if head is not None and head > 0 and all(w in _ROLE_WORDS or w == "و" for w in whole[:head]):
        # "گروه علمی و دانشگاهی خبرگزاری فارس": desk words, then the outlet.
        phrase = " ".join(whole[head:])
    phrase = _NAME_END.split(" " + phrase + " ", maxsplit=1)[0]
    words = [w for w in phrase.strip().strip(_TRAILING_PUNCT).split(" ") if w]
    raw = words
    while len(words) > 1 and words[0] in _ROLE_WORDS:
        words = words[1:]
    out = _prefixes(words)
    words = raw
    for i in range(1, len(words)):
        if words[i] in _OUTLET_HEADS:
            out.extend(_prefixes(words[i:]))
        elif words[i - 1] in _AFTER_ROLE:
            rest = words[i:]
            while len(rest) > 1 and rest[0] in _ROLE_WORDS:
                rest = rest[1:]
            out.extend(_prefixes(rest))
            if len(words) - i > 1:
                out.extend(_prefixes(words[i + 1 :]))
    return out


def credit_names(text: str) -> list[str]:
    """Names the text credits itself to, most likely first (the opening credit,
    then the closing "منبع:"), each as word windows, longest first."""
    lines = _lines(text)
    if not lines:
        return []
    phrases: list[str] = []
    head = lines[:3]
    for line in head:
        line = _LEADING_SYMBOLS.sub("", line)
        for pattern in (_DATELINE_NAME, _PAREN_NAME, _NAME_COLON, _NAME_DATE, _AGENCY_CODE):
            match = pattern.match(line)
            name = match.group("name") if match else ""
            if match and len(name.split(" ")) <= 6 and not _LABELS.match(name):
                phrases.append(match.group("name"))
        # The first credit in the opening lines: "به گزارش ایسنا به نقل از رویترز" names ایسنا first.
        phrases.extend(m.group("name") for m in _CREDIT_OPENERS.finditer(line[:400]))
    for line in lines[-2:]:
        for pattern in (_CLOSING_CREDIT, _CLOSING_PAREN):
            match = pattern.search(line if pattern is _CLOSING_PAREN else line.strip("() "))
            if match:
                phrases.append(match.group("name"))
    seen: set[str] = set()
    names: list[str] = []
    for phrase in phrases:
        for window in _windows(phrase):
            if window not in seen:
                seen.add(window)
                names.append(window)
    return names


# How outlets are registered beside how credits name them: "به گزارش ایسنا"
# credits what the registry may hold only as "خبرگزاری ایسنا"; "/ خبرفوری" a
# channel registered as "کانال خبرفوری".
_OUTLET_PREFIXES = ("خبرگزاری", "روزنامه", "پایگاه خبری", "سایت", "شبکه", "کانال", "نشریه", "هفته‌نامه")


def outlet_name_forms(name: str) -> list[str]:
    """``name`` and the forms an outlet of that name is registered under."""
    name = _clean(name)
    if not name:
        return []
    forms = [name]
    if name.split(" ")[0] not in _OUTLET_HEADS:
        forms.extend(f"{prefix} {name}" for prefix in _OUTLET_PREFIXES)
    return forms


def url_host(url: str | None) -> tuple[str, str]:
    """``(host, path)`` of a URL, the host lower-cased without ``www.``/``m.``."""
    if not url:
        return "", ""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "", ""
    host = (parts.hostname or "").lower().rstrip(".")
    for prefix in ("www.", "m.", "amp."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    return host, parts.path or "/"
