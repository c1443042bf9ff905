"""Unknown source names as editors see them in the candidate queue (pure Python).

``candidate_name`` decides whether a source span the registry does not know is a
name worth an editor's time, and gives its grouping key; ``suggest_kind``
guesses what it is. Junk never becomes a candidate: pronouns and anaphors,
verbs and the nouns of compound verbs (``انجام``, ``اعلام``), a bare place name
(``عراق``, ``تهران``), a span that ran on into the next words, broken quotes.
The grouping key is one for every way of writing a name: Arabic or Persian
letters, with or without ZWNJ or spaces, with or without honorifics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .normalize import normalize_key
from .registry import DETERMINERS, HONORIFICS, MEDIA_HEADS, _countries, _strip

_HAZM_VERBS = "hazm/data/verbs.dat"

_PRONOUNS = frozenset(
    normalize_key(w).replace(" ", "")
    for w in ("او", "وی", "ایشان", "آنها", "آن‌ها", "آنان", "ما", "من", "این", "آن", "همو", "خود", "شما", "تو")
)
# Openings of anaphors and generic groups: 'این مقام', 'منابع آگاه', 'یک مقام'.
_GENERIC_HEADS = frozenset(
    normalize_key(w).replace(" ", "")
    for w in (
        "این",
        "آن",
        "همین",
        "منابع",
        "منبع",
        "مقامات",
        "مقامها",
        "مسئولان",
        "کارشناسان",
        "ناظران",
        "رسانه‌ها",
        "گزارش‌ها",
        "برخی",
        "یک",
        "یکی",
        "شاهدان",
        "کاربران",
        "مردم",
        "خبرنگار",
        "خبرنگاران",
        "تحلیلگران",
        "فعالان",
    )
)
# Nouns that make compound verbs with کرد/داد/شد: a span of them is a verb, not a name.
_VERBAL_NOUNS = frozenset(
    normalize_key(w).replace(" ", "")
    for w in (
        "انجام",
        "اعلام",
        "اظهار",
        "تاکید",
        "تأکید",
        "اشاره",
        "بیان",
        "عنوان",
        "ادامه",
        "تصریح",
        "اضافه",
        "خاطرنشان",
        "هشدار",
        "ابراز",
        "درخواست",
        "تکذیب",
        "تایید",
        "تأیید",
        "پیگیری",
        "بررسی",
        "گزارش",
        "اعتراف",
        "ادعا",
        "اذعان",
        "تهدید",
        "مطرح",
        "منتشر",
        "اعلان",
        "یادآوری",
        "توضیح",
        "تشریح",
        "اقدام",
        "حمله",
        "گفتگو",
        "گفت‌وگو",
        "مصاحبه",
        "نوشت",
        "گفت",
        "افزود",
    )
)
# Cities Persian news uses for where a thing happened.
_PLACES = frozenset(
    normalize_key(w).replace(" ", "")
    for w in (
        "تهران",
        "واشنگتن",
        "مسکو",
        "پکن",
        "لندن",
        "پاریس",
        "برلین",
        "آنکارا",
        "استانبول",
        "ریاض",
        "دوحه",
        "ابوظبی",
        "دبی",
        "بغداد",
        "دمشق",
        "بیروت",
        "کابل",
        "اسلام‌آباد",
        "دهلی",
        "دهلی نو",
        "قدس",
        "بیت‌المقدس",
        "تل‌آویو",
        "غزه",
        "کی‌یف",
        "کییف",
        "ژنو",
        "وین",
        "نیویورک",
        "مشهد",
        "اصفهان",
        "شیراز",
        "تبریز",
        "قم",
        "اهواز",
        "کرمان",
        "مسقط",
        "منامه",
        "صنعا",
        "قاهره",
        "امان",
        "باکو",
        "ایروان",
        "خاورمیانه",
        "اروپا",
        "آسیا",
        "آفریقا",
        "غرب",
        "منطقه",
        "جهان",
        "کشور",
    )
)
# Openings of a place name: 'شهر هم‌مرز', 'استان بوشهر'.
_PLACE_HEADS = frozenset(
    normalize_key(w).replace(" ", "")
    for w in ("شهر", "شهرستان", "استان", "روستا", "منطقه", "بندر", "جزیره", "کره")
)
_PERSONAL = ("م", "ی", "یم", "ید", "ند", "ه", "")
_VERB_PREFIXES = ("نمی", "می", "ن", "ب", "")
_OFFICE_HEADS = tuple(
    normalize_key(w).replace(" ", "")
    for w in (
        "وزیر",
        "سخنگوی",
        "سخنگو",
        "رئیس",
        "رییس",
        "نخست‌وزیر",
        "دبیرکل",
        "دبیر کل",
        "فرمانده",
        "مدیرکل",
        "مدیر",
        "معاون",
        "مشاور",
        "نماینده",
        "سفیر",
        "دادستان",
        "استاندار",
        "فرماندار",
        "شهردار",
        "رهبر",
        "دبیر",
        "عضو",
        "وکیل",
        "امام جمعه",
        "سرمربی",
        "مربی",
        "والی",
        "سرپرست",
        "کاپیتان",
    )
)
_ORG_HEADS = tuple(
    normalize_key(w).replace(" ", "")
    for w in (
        "وزارت",
        "سازمان",
        "دولت",
        "نهاد",
        "شورای",
        "شورا",
        "مجلس",
        "کمیسیون",
        "کمیته",
        "ستاد",
        "قوه",
        "دادگاه",
        "بانک",
        "دانشگاه",
        "اداره",
        "پلیس",
        "دفتر",
        "اتحادیه",
        "انجمن",
        "بنیاد",
        "مرکز",
        "شرکت",
        "باشگاه",
        "فدراسیون",
        "کاخ",
        "حزب",
        "روابط عمومی",
        "دبیرخانه",
    )
)
_ARMED_HEADS = tuple(
    normalize_key(w).replace(" ", "") for w in ("ارتش", "سپاه", "نیروی", "نیروهای", "قرارگاه")
)
_RUN_ON_ENDINGS = ("ها", "های", "گان", "گانی")
# Words a name never ends with: a span that does ran on into the sentence
# ('اسرائیل همواره', 'ایران سالهاست').
_ADVERBS = frozenset(
    normalize_key(w).replace(" ", "")
    for w in (
        "همواره",
        "همیشه",
        "همچنان",
        "سالهاست",
        "سال‌هاست",
        "مدتهاست",
        "نیز",
        "هم",
        "اکنون",
        "اینک",
        "امروز",
        "دیروز",
        "روز",
        "بارها",
        "قبلا",
        "پیشتر",
        "پیش‌تر",
        "بعدا",
        "سپس",
        "انتشار",
        "ارسال",
        "اعلام",
        "در",
        "با",
        "به",
        "از",
        "که",
        "را",
    )
)
# Groups and relations, not names: 'منتقدان', 'خانواده', 'پسرش'.
_GENERIC = frozenset(
    normalize_key(w).replace(" ", "")
    for w in (
        "منتقدان",
        "ناظران",
        "دانشمندان",
        "پژوهشگران",
        "کارگران",
        "معترضان",
        "ساکنان",
        "اهالی",
        "وزیران",
        "وزرای",
        "نمایندگان",
        "مقامات",
        "دختر",
        "پسر",
        "پدر",
        "مادر",
        "همسر",
        "خانواده",
        "فوتبالیست",
        "بازیکن",
        "مربی",
        "پزشک",
        "کاربر",
        "شاهد",
        "پسرش",
        "دخترش",
        "پدرش",
        "مادرش",
        "همسرش",
        "خانواده‌اش",
        "داده‌ها",
        "داده‌های",
        "رسانه‌ها",
        "رسانه‌های",
        "دو",
        "سه",
        "چهار",
        "پنج",
        "چند",
        "شماری",
        "تعدادی",
    )
)
_QUOTES = re.compile(r"[«»\"“”„‹›']")
_MAX_TOKENS = 7


@lru_cache(maxsize=1)
def _verb_stems() -> frozenset[str]:
    """Past and present stems of hazm's verb list (shipped with hazm, read offline)."""
    import importlib.util

    spec = importlib.util.find_spec("hazm")
    stems: set[str] = set()
    if spec is None or not spec.origin:
        return frozenset()
    path = Path(spec.origin).parent / "data" / "verbs.dat"
    if not path.exists():
        return frozenset()
    for line in path.read_text(encoding="utf-8").splitlines():
        for stem in line.strip().split("#"):
            stem = normalize_key(stem).replace(" ", "")
            if len(stem) >= 2:
                stems.add(stem)
    return frozenset(stems)


@lru_cache(maxsize=8192)
def is_verb(token: str) -> bool:
    """A conjugated verb form (``گفت``, ``می‌گوید``, ``کردند``), by hazm's stems."""
    stems = _verb_stems()
    for p in _VERB_PREFIXES:
        if not token.startswith(p):
            continue
        body = token[len(p) :]
        for s in _PERSONAL:
            if s and not body.endswith(s):
                continue
            stem = body[: len(body) - len(s)] if s else body
            if stem in stems and (p or s or len(stem) >= 3):
                return True
    return False


@dataclass(frozen=True, slots=True)
class CandidateName:
    key: str  # grouping key: one for every spelling of the name
    text: str  # the name as written, quotes and honorifics trimmed
    tail: str  # the last word's key, to group a surname with the full name
    tokens: int


def clean_name(text: str) -> str:
    text = _QUOTES.sub(" ", text)
    return " ".join(text.split()).strip(" .،,:؛")


def candidate_name(text: str) -> CandidateName | None:
    """The queue entry for an unknown source name, or None for junk."""
    text = clean_name(text)
    tokens = normalize_key(text).split()
    if not tokens or len(tokens) > _MAX_TOKENS:
        return None
    i = _strip(tokens, 0, DETERMINERS)
    i = _strip(tokens, i, HONORIFICS)
    core = tokens[i:]
    compact = "".join(core)
    if len(compact) < 2 or compact.isdigit():
        return None
    first = core[0]
    if compact in _PRONOUNS or first in _PRONOUNS or first in _GENERIC_HEADS:
        return None
    if compact in _VERBAL_NOUNS or core[0] in _VERBAL_NOUNS:
        return None
    if any(is_verb(t) for t in core[-1:]) and not (len(core) > 1 and core[0] in MEDIA_HEADS):
        return None
    _, qualifiers, _ = _countries()
    if tuple(core) in qualifiers or compact in _PLACES or first in _PLACE_HEADS:
        return None
    if len(core) >= 2 and core[-1].endswith(_RUN_ON_ENDINGS) and not core[0].endswith(_RUN_ON_ENDINGS):
        return None  # 'ترامپ مذاکره‌کنندگان': the span ran on into the next words
    if len(core) >= 2 and core[-1] in _ADVERBS:
        return None  # 'اسرائیل همواره': ran on into the sentence
    if first in _GENERIC or (first.endswith(("ها", "های", "هایی")) and not first.startswith("نیروها")):
        return None  # a group or a relation ('منتقدان', 'رسانه‌های نزدیک', 'پسرش'), not a name
    if any(t in ("ها", "های", "هایی") for t in core[1:]):
        return None  # a plural written apart ('زندان های بلژیک'): a group or a place, not a name
    if any(t in _PRONOUNS for t in core[1:]):
        return None  # 'دفتر او': an office of someone named elsewhere
    return CandidateName(key=compact[:300], text=text[:300], tail=core[-1][:100], tokens=len(core))


def is_title(text: str) -> bool:
    """Whether ``text`` opens with a title (``سرمربی``, ``والی``, ``وزیر`` ...)."""
    tokens = normalize_key(clean_name(text)).split()
    return bool(tokens) and (tokens[0].startswith(_OFFICE_HEADS) or "".join(tokens[:2]) in _OFFICE_HEADS)


def suggest_kind(text: str) -> str:
    """What an unknown name most likely is: outlet, office, organisation or person."""
    tokens = normalize_key(clean_name(text)).split()
    i = _strip(tokens, 0, HONORIFICS)
    if i < len(tokens):
        tokens = tokens[i:]
    if not tokens:
        return "person"
    head = tokens[0]
    two = "".join(tokens[:2])
    if head in MEDIA_HEADS or two in MEDIA_HEADS:
        return "news_agency" if head.startswith("خبرگزاری") else "media_group"
    if head.startswith(_OFFICE_HEADS) or two in _OFFICE_HEADS:
        return "office"
    if head.startswith(_ARMED_HEADS):
        return "military_command"
    if head.startswith(_ORG_HEADS) or two.startswith(_ORG_HEADS):
        return (
            "government_body" if head.startswith(("وزارت", "دولت", "قوه", "مجلس", "شورا")) else "organisation"
        )
    if any("a" <= c <= "z" for c in "".join(tokens)):
        return "media_group"
    return "person"
