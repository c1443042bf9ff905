"""Attribution rules.

Everything here works on the matching view ``doc.t`` (same indices as the
offset map in ``text.Doc``) and produces ``Cand`` records with spans in that
view. The public ``extract`` maps them back to the raw text.

Per sentence the rules find three kinds of trigger, all with one compiled
regex each over the whole document:
- frames (``به گزارش X، ...``): source X before a comma, content after it;
- embedded cues (``با تاکید بر اینکه A، ...``): content A up to the comma;
- reporting verbs: the source is the subject found at the start of the clause
  (with its apposition, without time/place adverbials), the content follows
  the verb (``که`` clause, quotation, colon speech, bare clause) or sits
  before it (``X را رد کرد``, ``X را Y خواند``, ``از X خبر داد``, ``بر X
  تاکید کرد``);
plus a headline colon (``سنتکام: ...``) at the start of a sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass

from .lexicon import Lexicon
from .text import Doc

_WORD = re.compile(r"[^\s،,:؛;«»\"()\[\].!?؟…/|]+")
_VERBLIKE = re.compile(
    r"(?:د|ند|ست|اند|ده|شد|کرد|است|نیست|بود|داشت|گفت|رفت|یافت|گرفت|خواست|نوشت|پذیرفت|ساخت|شناخت|پرداخت)$"
)
_ALNUM = re.compile(r"[^\W_]")
_RA = re.compile(r"(?<![\w])را(?![\w])")
_DIGITS = re.compile(r"^[0-9]+$")

# Headline labels that are not speakers.
_NOT_HEADLINE = {
    "عکس",
    "تصویر",
    "منبع",
    "لینک",
    "ویدیو",
    "ویدئو",
    "فیلم",
    "یادداشت",
    "برچسبها",
    "کلیدواژه",
    "توضیح",
    "پینوشت",
    "اولا",
    "ثانیا",
    "ثالثا",
    "رابعا",
    "نکته",
    "خبر",
    "بیشتربخوانید",
    "همچنینبخوانید",
    "مطالبمرتبط",
    "تیتر",
    "سوال",
    "پرسش",
    "پاسخ",
    "نتیجه",
    "زمان",
    "مکان",
    "تاریخ",
    "نویسنده",
    "ترجمه",
    "مترجم",
    "گزارش",
    "ادعا",
    "واقعیت",
    "حقیقت",
    "راستیآزمایی",
    "جمعبندی",
    "خلاصه",
    "نکات",
    "بیشتر",
}
_HEADLINE_END_BAD = {
    "باره",
    "زمینه",
    "خصوص",
    "رابطه",
    "مورد",
    "شرح",
    "قرار",
    "زیر",
    "بخوانید",
    "است",
    "شد",
    "بود",
}


_BOUNDARY_WORDS = frozenset(
    ["که", "اما", "ولی", "لیکن", "ولیکن", "آنکه", "اینکه", "زیرا", "چون", "وقتی", "هنگامیکه", "درحالیکه"]
)
_SUBORDINATE = frozenset(["که", "آنکه", "اینکه", "زیرا", "چون", "وقتی", "هنگامیکه", "درحالیکه"])
_CONTRAST = re.compile(r"[،,] ?(?:اما|ولی|لیکن|ولیکن)(?![\w])")
_VERB_WORDS = frozenset(
    [
        "شود",
        "شد",
        "است",
        "بود",
        "باشد",
        "کرد",
        "کند",
        "کرده",
        "شده",
        "داشته",
        "دارد",
        "ندارد",
        "نیست",
        "هست",
        "گرفت",
        "گرفته",
        "بوده",
        "نشده",
        "نکرد",
    ]
)
_DETERMINERS = frozenset(["چنین", "همین", "همان", "هر", "آن", "این", "چند", "همه"])
_SEP_RES: dict[str, re.Pattern] = {}
# 'یکی از', 'دو نفر از', 'شماری از' ... open a partitive that belongs to the source
_PARTITIVE = frozenset(
    [
        "یکی",
        "برخی",
        "بعضی",
        "شماری",
        "تعدادی",
        "هیچیک",
        "نفر",
        "تن",
        "بسیاری",
        "عدهای",
        "گروهی",
        "جمعی",
        "اکثر",
    ]
)
# 'به نقل از' with the common typos 'بع نقل از', 'بنقل از'
_NAQL = re.compile(r"(?<![\w])(?:به|بع|ب) ?نقل ?از(?![\w])")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_QMARK = re.compile('[«»"]')
# 'اعلام X مبنی بر Y' / 'ادعای X مبنی بر Y' / 'اعلام X درباره Y' with X a short name
_NOMINAL = re.compile(
    r"(?<![\w])(?P<cue>اعلام|ادعای|اظهارات|تاکید) "
    r"(?P<x>«[^»\n]{2,40}»|[^\s،,:؛«»]+(?: [^\s،,:؛«»]+){0,2}) "
    r"(?:مبنی ?بر|درباره|دربار)(?![\w])"
)
_NW = r"[^\s،,:؛;.!?؟«»\"]+"
# 'در (ادامه) این گزارش آمده است: ...', 'در بیانیه وزارت خارجه آمده است که ...',
# 'در این اطلاعیه تاکید شده است که ...'
_DOC_HEADS = (
    "گزارش|بیانیه|اطلاعیه|نامه|پیام|یادداشت|توییت|توئیت|پست|ابلاغیه|اعلامیه|"
    "گزارشی|بیانیهای|اطلاعیهای|نامهای|پیامی|یادداشتی|توییتی|توئیتی|پستی|اعلامیهای"
)
_AMADE = re.compile(
    r"(?<![\w])در (?:(?:ادامه|ادامه ی|بخشی از|بخش دیگری از|قسمتی از|متن) )?"
    r"(?P<x>(?:(?P<det>این|آن) )?(?P<h>" + _DOC_HEADS + r")(?P<rest>(?: " + _NW + r"){0,6}?)) "
    r"(?P<v>(?:آمده|(?:اعلام|تاکید|تصریح|ذکر) ?شده?)(?: ?است| ?بود)?)(?![\w])"
)
_AGENT_KEY = re.compile(r"(?:سوی|طرف|جانب|توسط) ")
# a nominal headline on a line of its own: 'تکذیب X از سوی Y' ('تایید' is often an approval)
_NOMINAL_HEADLINE = re.compile(
    r"(?m)^[ \t]*(?P<cue>تکذیب) (?P<c>[^\n:«»]{3,120}?) (?:به نقل از|بنقل از|از سوی|از طرف|توسط) "
    r"(?P<x>[^\n،,.:؛!?؟«»]{2,60}?)[ \t.]*$"
)
# data nouns after a guarded frame need a named source: 'بر اساس آمار بانک مرکزی'
_DATA_NOUNS = ("آمار", "داده", "نتایج", "اطلاعات", "برآورد", "تخمین")
# titles whose 'در X' complement names the posting
_POSTED = frozenset(["سفیر", "نماینده", "نمایندگان", "کاردار", "سرکنسول", "نمایندهی", "خبرنگار"])
# nouns after 'در' that make an adverbial, not a posting
_NOT_POSTING = frozenset(
    [
        "نشست",
        "جلسه",
        "گفتگو",
        "گفتوگو",
        "گفت",
        "مصاحبه",
        "دیدار",
        "جمع",
        "حاشیه",
        "سفر",
        "پاسخ",
        "ادامه",
        "برنامه",
        "صفحه",
        "حساب",
        "پیامی",
        "توییتی",
        "بیانیهای",
        "مراسم",
        "همایش",
        "سخنرانی",
        "واکنش",
        "پی",
        "این",
        "آن",
        "نامهای",
        "گزارشی",
        "یادداشتی",
        "سخنانی",
        "اظهاراتی",
        "خصوص",
        "باره",
        "مورد",
        "رابطه",
        "زمینه",
    ]
)
_AMADE_KEYS = ("آمده", *(p + sp + "شد" for p in ("اعلام", "تاکید", "تصریح", "ذکر") for sp in ("", " ")))
# the split compound 'X خبر از Y داد' (= 'X از Y خبر داد')
_KHABAR_AZ = re.compile(
    r"(?<![\w])(?P<cue>خبر) از (?P<c>[^\n.،,:؛!?؟]{3,160}?) "
    r"(?P<v>(?:داد|دادند|داده|میدهد|میدهند|می دهد|می دهند)(?: ?است| ?اند| ?بود| ?بودند)?)(?![\w])"
)
# a passive with its agent: 'از سوی وزارت بهداشت اعلام شد که ...'
_AGENT_PASSIVE = re.compile(
    r"(?<![\w])(?P<by>از سوی|از طرف|از جانب|توسط) (?P<x>" + _NW + r"(?: " + _NW + r"){0,7}?) "
    r"(?P<v>(?:اعلام|تایید|تکذیب|گزارش|اظهار|تاکید) ?(?:شد|شده|گردید|گردیده)(?: ?است| ?بود)?)(?![\w])"
)
# prepositions of a recipient or companion phrase that can carry an apposition
_RECIPIENT = frozenset(["به", "با", "برای"])
_PREPOSITIONS = frozenset(["از", "در", "به", "با", "بر", "برای", "درباره", "علیه", "روی"])
_CONF = {"quote": 0.92, "ke": 0.88, "colon": 0.85, "bare": 0.75, "ra": 0.72, "az": 0.78}


@dataclass
class Cand:
    src: tuple[int, int]
    cue: tuple[int, int]
    content: tuple[int, int]
    kind: str
    via: tuple[int, int] | None = None
    rule: str = ""
    inherited: bool = False
    conf: float = 0.7


def _k(t: str, s: int, e: int) -> str:
    return t[s:e].replace(" ", "")


class SentenceRules:
    """Applies the rules to one document."""

    def __init__(self, doc: Doc, lex: Lexicon) -> None:
        self.doc = doc
        self.t = doc.t
        self.lex = lex
        self.cue_starts: list[int] = []
        self.amade: list[re.Match] = []
        self.agent: list[re.Match] = []
        self._sent_starts = [a for a, _ in doc.sentences]
        # the lead: the first two sentences (headline and first paragraph's opening)
        self.lead_end = doc.sentences[min(1, len(doc.sentences) - 1)][1] if doc.sentences else 0
        self._spans: list[tuple[int, int]] | None = None
        self._starts: list[int] = []
        self._ends: list[int] = []

    # -- small helpers ----------------------------------------------------
    def words(self, s: int, e: int) -> list[tuple[int, int]]:
        """Word spans overlapping [s, e), clipped to it."""
        if s >= e:
            return []
        if self._spans is None:
            # every word of the document once, so ranges are two bisects and a slice
            self._spans = [m.span() for m in _WORD.finditer(self.t)]
            self._starts = [a for a, _ in self._spans]
            self._ends = [b for _, b in self._spans]
        i = bisect_right(self._ends, s)
        j = bisect_left(self._starts, e)
        out = self._spans[i:j]
        if out:
            if out[0][0] < s:
                out[0] = (s, out[0][1])
            if out[-1][1] > e:
                out[-1] = (out[-1][0], e)
        return out

    def top_level(self, i: int) -> bool:
        return self.doc.quote_at(i) is None

    def next_sep(self, s: int, e: int, chars: str = "،,") -> int:
        """First top-level separator among ``chars`` in [s, e), or -1."""
        pat = _SEP_RES.get(chars)
        if pat is None:
            pat = _SEP_RES[chars] = re.compile("[" + re.escape(chars) + '«"]')
        i = s
        while i < e:
            m = pat.search(self.t, i, e)
            if m is None:
                return -1
            i = m.start()
            c = self.t[i]
            if c == "«" or c == '"':
                q = self.doc.quote_starting(i)
                i = q[1] + 1 if q is not None else i + 1
                continue
            if self.top_level(i):
                return i
            i += 1
        return -1

    def skip_space(self, i: int, e: int) -> int:
        t = self.t
        while i < e and t[i].isspace():
            i += 1
        return i

    def strip_span(self, s: int, e: int) -> tuple[int, int]:
        t = self.t
        while s < e and (t[s].isspace() or t[s] in "،,:؛;.-–—"):
            s += 1
        while e > s and (t[e - 1].isspace() or t[e - 1] in "،,:؛;.-–—!?؟"):
            e -= 1
        return s, e

    def strip_connectors(self, s: int, e: int) -> int:
        m = self.lex.connectors_re.match(self.t, s, e)
        if m and m.end() > s:
            return m.end()
        return s

    def is_stop(self, w: tuple[int, int]) -> bool:
        return self.t[w[0] : w[1]] in self.lex.stop_words

    # -- subjects -----------------------------------------------------------
    def find_subject(self, s: int, e: int, allow_skip: bool = True) -> tuple[int, int] | None:
        """The subject noun phrase at the start of [s, e): its first words up to
        a stop word (preposition, time word, را, که...), plus comma-separated
        apposition that is not the last segment before the verb."""
        t = self.t
        lex = self.lex
        for _ in range(6):
            s = self.strip_connectors(s, e)
            s = self.skip_space(s, e)
            while s < e and t[s] in "،,:؛;-–—":
                s = self.skip_space(s + 1, e)
            q = self.doc.quote_starting(s) if s < e and t[s] in '«"' else None
            if q is not None and q[1] < e and self.words(q[1] + 1, e):
                # '«...» کائو افزود': the subject follows the quotation
                s = q[1] + 1
                continue
            ws = self.words(s, e)
            if not ws:
                return None
            w0 = t[ws[0][0] : ws[0][1]]
            if w0 in lex.stop_words and w0 not in lex.source_starts_ok:
                if not allow_skip:
                    return None
                c = self.next_sep(s, e)
                if c < 0:
                    # 'در روزهای اخیر برخی رسانه‌ها ...': jump to a word that
                    # can open a source
                    for w in ws[1:7]:
                        word = t[w[0] : w[1]]
                        if word in ("برخی", "یک", "چند", "بعضی") or word in lex.org_heads:
                            s = w[0]
                            break
                    else:
                        return None
                    break
                if w0 in _RECIPIENT:
                    # 'به X، <apposition>، اطلاع داد': the segment between the
                    # commas is X's apposition, not the subject
                    c2 = self.next_sep(c + 1, e)
                    if c2 >= 0 and not self.words(c2 + 1, e):
                        return None
                s = c + 1
                continue
            break
        else:
            return None
        ws = self.words(s, e)
        while ws and not _ALNUM.search(t, ws[0][0], ws[0][1]):
            ws = ws[1:]  # a bullet or emoji before the subject
        if not ws:
            return None
        end_word = None
        sep = self.next_sep(s, e)
        for i, w in enumerate(ws):
            if sep >= 0 and w[0] > sep:
                break
            word = t[w[0] : w[1]]
            if i > 0 and word in lex.stop_words:
                # 'یکی از', 'برخی از', 'از جمله' are part of a source
                prev = t[ws[i - 1][0] : ws[i - 1][1]]
                if not (word == "از" and prev in _PARTITIVE):
                    end_word = i - 1
                    break
            elif i == 0 and word in lex.stop_words and word not in lex.source_starts_ok:
                return None
            end_word = i
            if i >= 11:
                break
        if end_word is None or end_word < 0:
            return None
        nxt_word = t[ws[end_word + 1][0] : ws[end_word + 1][1]] if end_word + 1 < len(ws) else ""
        stopper = t[ws[end_word + 1][0] : ws[end_word + 1][1]] if end_word + 1 < len(ws) else ""
        later_ra = (
            end_word >= 2
            and stopper in _PREPOSITIONS
            and any(t[w[0] : w[1]] == "را" for w in ws[end_word + 1 :])
            and (sep < 0 or ws[end_word][1] < sep)
        )
        ra_ahead = (
            end_word + 1 < len(ws) and _RA.search(t, ws[end_word][1], sep if sep >= 0 else e) is not None
        )
        obj = self.object_start(ws, end_word) if ra_ahead else None
        if obj is not None:
            # 'وزارت خارجه روسیه حمله به ... را محکوم کرد': the object opens with
            # a determiner or an event/claim noun
            end_word = obj - 1
        elif later_ra and nxt_word != "را":
            # 'بانک مرکزی ادعای مطرح شده از سوی ... را تکذیب کرد'
            w0 = t[ws[0][0] : ws[0][1]]
            end_word = (
                1 if (w0 in lex.org_heads or w0 in lex.person_titles or w0 in lex.source_starts_ok) else 0
            )
        elif nxt_word == "را" and (sep < 0 or ws[end_word][1] < sep):
            # the words before 'را' are the object: 'X <object> را رد کرد'
            if end_word == 0:
                return None
            w0 = t[ws[0][0] : ws[0][1]]
            if w0 in _DETERMINERS and _k(t, ws[0][0], ws[min(1, end_word)][1]) not in lex.anaphors:
                return None  # 'چنین اقدامی را ...': the object, not a subject
            if w0 in lex.pronoun_person or w0 in lex.known_outlets:
                keep = 0
            elif w0 in lex.org_heads or w0 in lex.person_titles:
                keep = min(end_word - 1, 2)
            else:
                keep = min(end_word - 1, 1)
            if w0 in lex.source_starts_ok:
                keep = max(keep, 1)  # 'یک مقام ...', not 'یک'
            # leave the object at least two words when there are words to spare
            while keep > 0 and end_word - keep < 2:
                keep -= 1
            end_word = keep
        # a quoted name ends the phrase: 'دو «منبع آگاه» گزارش ...'
        for i in range(end_word):
            we = ws[i][1]
            if we < e and t[we] in '»"' and t[ws[0][0] - 1 : ws[0][0]] not in ("«", '"'):
                end_word = i
                break
        # 'سفیر ایران در سازمان ملل', 'نماینده تهران در مجلس': a posting is part
        # of a representative's title when the verb (or a comma) follows it
        if (
            t[ws[0][0] : ws[0][1]] in _POSTED
            and end_word + 1 < len(ws)
            and t[ws[end_word + 1][0] : ws[end_word + 1][1]] == "در"
            and (sep < 0 or ws[end_word + 1][0] < sep)
        ):
            j = end_word + 2
            while j < len(ws) and j - end_word <= 5 and (sep < 0 or ws[j][0] < sep):
                if t[ws[j][0] : ws[j][1]] in lex.stop_words:
                    break
                j += 1
            place = [t[a:b] for a, b in ws[end_word + 2 : j]]
            rest_to_verb = ws[j][0] if j < len(ws) else e
            if (
                1 <= len(place) <= 3
                and not any(p in _NOT_POSTING for p in place)
                and not self.words(ws[j - 1][1], min(rest_to_verb, e))
                and (j >= len(ws) or (sep >= 0 and ws[j][0] > sep))
            ):
                end_word = j - 1
        subj_end = ws[end_word][1]
        # include a closing quote mark directly after the last word
        if subj_end < e and t[subj_end] in '»"':
            subj_end += 1
        # apposition: 'X، Y، <verb phrase>' when the name ran up to the comma
        ran_to_comma = sep >= 0 and not any(w[0] < sep for w in ws[end_word + 1 :])
        if ran_to_comma:
            pos = sep
            while True:
                nxt = self.next_sep(pos + 1, e)
                seg_s = self.skip_space(pos + 1, e)
                if nxt < 0:
                    break  # the last segment holds the verb's own arguments
                segw = self.words(seg_s, nxt)
                if not segw or len(segw) > 10:
                    break
                first = t[segw[0][0] : segw[0][1]]
                starts_azjomle = t.startswith("از جمله", seg_s) or t.startswith("ازجمله", seg_s)
                if first in lex.stop_words and not starts_azjomle and first != "این":
                    break
                if any(t[w[0] : w[1]] in ("را", "که") for w in segw):
                    break
                subj_end = segw[-1][1]
                if subj_end < e and t[subj_end] in '»"':
                    subj_end += 1
                pos = nxt
        start = ws[0][0]
        if start > s and t[start - 1] in '«"':
            start -= 1
        return (start, subj_end)

    def object_start(self, ws: list[tuple[int, int]], last: int) -> int | None:
        """Where the object of a 'را' clause opens among words 1..last: at a
        determiner (این، آن، چنین ...) that does not complete a title
        ('رئیس این سازمان'), or at an event or claim noun."""
        t = self.t
        lex = self.lex
        if _k(t, ws[0][0], ws[0][1]) in _DETERMINERS:
            return None
        for i in range(1, last + 1):
            word = t[ws[i][0] : ws[i][1]]
            prev = t[ws[i - 1][0] : ws[i - 1][1]]
            if word in _DETERMINERS and word != "همه":
                if prev in lex.person_titles or prev in lex.org_heads or prev.startswith(lex.media_heads):
                    continue
                return i
            if (
                i >= 1
                and word in lex.object_heads
                and prev not in lex.org_heads
                and prev not in lex.person_titles
            ):
                return i
        return None

    def speakerish(self, span: tuple[int, int], vs: int, ve: int) -> bool:
        """Does this noun phrase look like a speaker (a title, organisation,
        outlet or pronoun), or a plural that agrees with a plural verb?"""
        t = self.t
        lex = self.lex
        ws = self.words(*span)
        if not ws:
            return False
        w0 = t[ws[0][0] : ws[0][1]]
        k = _k(t, *span)
        if w0 in lex.org_heads or w0 in lex.person_titles or w0 in lex.known_outlets:
            return True
        if k in lex.pronoun_person or k in lex.pronoun_plural or k in lex.anaphors:
            return True
        plural_verb = t[vs:ve].endswith("ند")
        return plural_verb and w0.endswith(("ها", "های", "ان", "ات"))

    def ends_in_verb(self, span: tuple[int, int]) -> bool:
        ws = self.words(*span)
        if not ws:
            return False
        last = self.t[ws[-1][0] : ws[-1][1]]
        return last in _VERB_WORDS or (len(ws) > 1 and last.startswith("می") and last.endswith("د"))

    def valid_source(self, span: tuple[int, int]) -> bool:
        t = self.t
        ws = self.words(*span)
        if not ws or len(ws) > 16:
            return False
        first = t[ws[0][0] : ws[0][1]]
        k = _k(t, *span)
        if first in self.lex.non_speakers or k in self.lex.non_speakers:
            return False
        if len(ws) == 1 and first in self.lex.source_starts_ok:
            return False  # a bare 'یک' or 'این'
        last = t[ws[-1][0] : ws[-1][1]]
        if last in _VERB_WORDS or (len(ws) > 1 and last.startswith("می") and last.endswith("د")):
            return False
        return not all(_DIGITS.match(t[w[0] : w[1]]) for w in ws)

    # -- clause ends ----------------------------------------------------
    def clause_end(self, s: int, e: int, cuts: list[int], semicolon: bool = True) -> int:
        end = e
        for c in cuts:
            if s < c < end:
                end = c
        if semicolon:
            p = self.next_sep(s, end, "؛;")
            if p >= 0:
                end = p
            for m in _CONTRAST.finditer(self.t, s, end):
                if self.top_level(m.start()):
                    end = m.start()
                    break
        return end

    # -- main -------------------------------------------------------------
    def sentence(self, ss: int, se: int, verbs: list[tuple[int, int]], frames, embeds) -> list[Cand]:
        t = self.t
        lex = self.lex
        out: list[Cand] = []

        # 1. frames at clause starts
        fr: list[dict] = []
        for fs, fe in frames:
            b = fs - 1
            while b >= ss and t[b] == " ":
                b -= 1
            seg0 = ss
            j = b
            while j >= ss:
                if t[j] in "،,:؛;\n" and self.top_level(j):
                    seg0 = j + 1
                    break
                j -= 1
            if b >= ss and self.strip_connectors(self.skip_space(seg0, fs), fs) < fs:
                pre = t[self.skip_space(seg0, fs) : fs].strip()
                if pre and not (pre == "که" or pre.endswith(" که")):
                    continue
            fkey = _k(t, fs, fe)
            xs = self.skip_space(fe, se)
            comma = self.next_sep(xs, min(se, xs + 160))
            inner_via = None
            if comma >= 0 and len(self.words(xs, comma)) <= 14:
                xe = comma
                cs = comma + 1
                # one-word apposition: 'بنابر اعلام فرماندهی مرکزی ایالات متحده، سنتکام، در ...'
                c2 = self.next_sep(cs, min(se, cs + 40))
                if c2 >= 0:
                    seg = self.words(cs, c2)
                    after = self.words(c2 + 1, se)
                    if (
                        len(seg) == 1
                        and t[seg[0][0] : seg[0][1]] not in lex.stop_words
                        and after
                        and t[after[0][0] : after[0][1]] in lex.stop_words
                    ):
                        xe = c2
                        cs = c2 + 1
            else:
                ws = self.words(xs, se)
                take = []
                for i, w in enumerate(ws[:4]):
                    word = t[w[0] : w[1]]
                    if word in lex.stop_words and i > 0:
                        break
                    take.append(w)
                    if len(ws) > 1 and i == 0 and _k(t, ws[0][0], ws[1][1]) in lex.anaphors:
                        take.append(ws[1])
                        break
                    if i == 0 and not (
                        word in lex.person_titles
                        or word in lex.org_heads
                        or any(word.startswith(h) for h in lex.media_heads)
                    ):
                        break
                if not take:
                    continue
                xe = take[-1][1]
                cs = xe
            # nested 'به گزارش X به نقل از Y،'
            m = _NAQL.search(t, xs, xe)
            if m and m.start() > xs:
                inner_via = self.strip_span(xs, m.start())
                xs = self.skip_space(m.end(), xe)
            x = self.strip_span(xs, xe)
            if x[0] >= x[1]:
                continue
            if fkey not in lex.frame_open:
                xk = _k(t, *x)
                if not (
                    xk.startswith(lex.guarded_heads)
                    or xk in lex.known_outlets
                    or xk.startswith(lex.media_heads)
                    or xk in lex.anaphors
                ):
                    continue
                xw = [t[a:b] for a, b in self.words(*x)]
                if xw[0].startswith(_DATA_NOUNS) and all(w in lex.doc_modifiers for w in xw[1:]):
                    continue  # 'بر اساس آمارهای رسمی': data with no one behind it
            post = None
            if seg0 > ss and t[seg0 - 1] in "؛;،," and len(self.words(ss, seg0 - 1)) >= 3:
                rest = self.words(xs, se)
                if rest and not _VERBLIKE.search(t[rest[-1][0] : rest[-1][1]]):
                    # a frame after the clause it governs: 'A؛ به گفته X، Y.'
                    x = self.strip_span(xs, se)
                    post = self.strip_span(self.strip_connectors(ss, seg0 - 1), seg0 - 1)
            if not self.valid_source(x) or t[x[0] : x[1]].split()[0] in lex.doc_modifiers:
                continue  # 'به بیان دیگر، ...', 'به تعبیر دیگر، ...': discourse markers
            xk = _k(t, *x)
            # 'به گزارش خبرنگار ما' or an agency's dateline at the top of its own
            # article: the outlet is the writer, not a source (it can still relay)
            own = xk.startswith(lex.own_report_heads) or (
                fs < self.lead_end and fkey.startswith("بهگزارش") and xk.startswith(lex.home_agencies)
            )
            fr.append({"cue": (fs, fe), "src": x, "cs": cs, "outer": inner_via, "post": post, "own": own})

        # a frame whose content opens with another frame relays it:
        # 'به گزارش فارس به نقل از X، بنابر اعلام Y، ...'
        for f in fr:
            c0 = self.strip_connectors(self.skip_space(f["cs"], se), se)
            for g in fr:
                if g is not f and g["cue"][0] == c0:
                    f["relay"] = True
                    if g["outer"] is None:
                        g["outer"] = f["src"]

        # 2. embedded cues
        em: list[dict] = []
        for es_, ee in embeds:
            cs = self.skip_space(ee, se)
            stop = self.next_sep(cs, se)
            end = se
            if stop >= 0:
                end = stop
            np_cue = _k(t, es_, ee) in self.lex.embedded_np
            by_verb = False
            for v in verbs:
                if not cs < v[0] < end:
                    continue
                # the main verb ends the embedded clause once that clause has its
                # own verb ('با بیان اینکه ... آغاز شده است اعلام کرد'); a verb
                # right after a bare subject is inside it ('با یادآوری اینکه پسرش گفته بود')
                before = self.words(cs, v[0])
                if np_cue or (before and _VERBLIKE.search(t[before[-1][0] : before[-1][1]])) or not before:
                    end = v[0]
                    by_verb = True
                    break
            if np_cue and (not by_verb or len(self.words(cs, end)) > 8):
                continue  # 'ضمن تکذیب X' counts only before a reporting verb
            em.append({"cue": (es_, ee), "cs": cs, "ce": end})

        def in_embedded(p: int) -> bool:
            return any(d["cue"][0] <= p < d["ce"] for d in em)

        # 3. verbs: the clause each heads, and its subject
        vinfo: list[dict] = []
        for vs, ve in verbs:
            if any(a <= vs < b for a, b in frames) or any(d["cue"][0] <= vs < d["cue"][1] for d in em):
                continue
            emb_in = [d for d in em if d["cs"] <= vs < d["ce"]]
            info = lex.verb_info.get(_k(t, vs, ve))
            if info is None:
                continue
            if lex.excl_after_re.match(t, ve, min(se, ve + 12)):
                continue
            pw = self.words(max(ss, vs - 20), vs)
            if pw and t[pw[-1][0] : pw[-1][1]] in lex.excl_before and pw[-1][1] >= vs - 1:
                continue
            # the clause starts after a governing frame...
            L0 = ss
            for f in fr:
                if f["cue"][0] < vs and f["cs"] <= vs:
                    L0 = max(L0, f["cs"])
            q = self.doc.quote_at(vs)
            if q is not None:
                L0 = max(L0, q[0] + 1)
            if emb_in:
                L0 = max(L0, emb_in[0]["cs"])
            # ...or after the previous verb in this sentence
            prev_end = max([v["cue"][1] for v in vinfo if v["cue"][1] <= vs] or [L0])
            L = max(L0, prev_end)
            # the last clause boundary: 'و' after a verb, 'اما', 'ولی', 'که', ':' or '؛'
            bnd = None
            for w in reversed(self.words(L, vs)):
                word = t[w[0] : w[1]]
                if not self.top_level(w[0]) or in_embedded(w[0]):
                    continue
                if word == "و":
                    pw2 = self.words(max(ss, w[0] - 30), w[0])
                    if pw2 and _VERBLIKE.search(t[pw2[-1][0] : pw2[-1][1]]):
                        bnd = w
                        break
                elif word in _BOUNDARY_WORDS:
                    bnd = w
                    break
            R = L if bnd is None else bnd[1]
            if bnd is not None and t[bnd[0] : bnd[1]] in _SUBORDINATE:
                # 'X که ...، گفت': a subordinate clause closed by a comma after its verb
                p = R
                while True:
                    c = self.next_sep(p, vs)
                    if c < 0:
                        break
                    pw3 = self.words(max(R, c - 30), c)
                    if pw3 and _VERBLIKE.search(t[pw3[-1][0] : pw3[-1][1]]):
                        R = c + 1
                        break
                    p = c + 1
            for j in range(vs - 1, R - 1, -1):
                if t[j] in ":؛;" and self.top_level(j):
                    R = j + 1
                    break
            emb_here = [d for d in em if R <= d["cue"][0] < vs]
            subj_end = emb_here[0]["cue"][0] if emb_here else vs
            subj = self.find_subject(R, subj_end)
            inherited = False
            if subj is not None and not self.valid_source(subj):
                if not self.ends_in_verb(subj):
                    continue  # 'تحقیقات تأیید کرد': not a speaker
                # '... که نخواست نامش فاش شود به سی‌ان‌ان گفت': a clause, not a subject
                subj = None
            if subj is None and emb_in:
                continue
            if subj is None:
                inherited = True
                stop = bnd[0] if bnd is not None else subj_end
                nested = self.find_subject(L, stop) if stop > L else None
                after_prev = self.skip_space(L, vs) if vinfo and L > L0 else L
                if nested is not None and after_prev < vs and t[after_prev] == ":":
                    # 'X گفت: A و افزود: B': colon speech, B is X's too
                    nested = None
                if nested is not None and vinfo and L > L0 and not self.speakerish(nested, vs, ve):
                    # 'X گفت A و افزود B': B is X's, unless A opens with a speaker
                    nested = None
                subj = nested
                if subj is None and vinfo and R > L0:
                    if bnd is None or t[bnd[0] : bnd[1]] in _SUBORDINATE:
                        # a verb inside the previous verb's content with no new
                        # clause of its own repeats that statement
                        continue
                    subj = vinfo[-1]["src"]
                if subj is None and L0 < L:
                    subj = self.find_subject(L0, stop)
            if subj is None or not self.valid_source(subj) or subj[1] > vs:
                continue
            vinfo.append(
                {
                    "cue": (vs, ve),
                    "info": info,
                    "L0": L0,
                    "L": L,
                    "R": R,
                    "bnd": bnd,
                    "src": subj,
                    "inherited": inherited,
                    "emb": emb_here,
                    "limit": emb_in[0]["ce"] if emb_in else se,
                    "src_start": subj[0],
                }
            )

        # a headline colon 'X: ...' at the sentence start
        head = self.headline(ss, se, verbs, fr)
        if head is not None:
            out.append(head)

        # nominal cues: 'پس از اعلام «دونالد ترامپ» مبنی بر Y، ...'
        for m in _NOMINAL.finditer(t, ss, se):
            x = self.strip_span(m.start("x"), m.end("x"))
            xs = self.words(*x)
            if not xs or t[xs[0][0] : xs[0][1]] in lex.stop_words or not self.valid_source(x):
                continue
            if not (self.speakerish(x, 0, 0) or t[x[0]] == "«" or len(xs) <= 3):
                continue
            cs = self.skip_space(m.end(), se)
            c = self.next_sep(cs, se)
            ce = c if c >= 0 else se
            c0, c1 = self.strip_span(cs, ce)
            if len(self.words(c0, c1)) >= 2:
                out.append(
                    Cand(x, m.span("cue"), (c0, c1), self.kind_of(c0, c1), None, "nominal", False, 0.6)
                )

        out.extend(self.passive_cues(ss, se))
        if "خبر از" in t[ss:se]:
            for m in _KHABAR_AZ.finditer(t, ss, se):
                subj = self.find_subject(ss, m.start())
                if subj is None or not self.valid_source(subj) or subj[1] > m.start():
                    continue
                if self.words(subj[1], m.start()) and not self.speakerish(subj, 0, 0):
                    continue
                c0, c1 = self.strip_span(m.start("c"), m.end("c"))
                if 2 <= len(self.words(c0, c1)) <= 20 and not _RA.search(t, c0, c1):
                    kd = self.kind_of(c0, c1)
                    out.append(Cand(subj, m.span("cue"), (c0, c1), kd, None, "az", False, 0.7))

        def cuts_for(cs: int, is_frame: bool) -> list[int]:
            """Where a content starting at ``cs`` stops: before the 'و'/'اما' of
            a later clause whose speaker is not inside this content (for a
            frame, before any later speech clause)."""
            for v in vinfo:
                b = v["bnd"]
                if b is None or b[0] <= cs or t[b[0] : b[1]] in _SUBORDINATE:
                    continue
                if is_frame or not (cs <= v["src"][0] < b[0]):
                    return [b[0]]
            return []

        emitted_for_frame: set[int] = set()
        for v in vinfo:
            vs, ve = v["cue"]
            subj = v["src"]
            inherited = v["inherited"]
            via = None
            src = subj
            after_subj = R = v["R"]
            if not inherited or v["L"] <= src[0] < vs:
                after_subj = src[1]
            # 'X به نقل از Y CUE'
            look = src[1] if src[1] < vs else R
            m = _NAQL.search(t, look, vs)
            if m:
                ys = m.end()
                y = self.find_subject(ys, vs, allow_skip=False)
                if y is not None and self.valid_source(y):
                    via, src = subj, y
                    after_subj = y[1]
            # 'به X گفت' where X is an outlet
            if via is None:
                lo = max(after_subj, vs - 60)
                mm = re.search(r"(?<![\w])به ((?:[^\s،,:]+ ?){1,4})$", t[lo:vs])
                if mm:
                    x = self.strip_span(lo + mm.start(1), vs)
                    xk = _k(t, *x)
                    if (
                        xk in lex.known_outlets
                        or xk.startswith(lex.media_heads)
                        or lex.anaphors.get(xk) == "outlet"
                    ):
                        via = x
            content = self.content_for(v, after_subj, ss, v["limit"], cuts_for)
            if content is None:
                continue
            (cs, ce), kind, rule = content
            if cs >= ce or len(self.words(cs, ce)) < 2:
                continue
            # a frame that governs this clause becomes its 'via'
            for i, f in enumerate(fr):
                if f["cue"][0] < vs and f["cs"] <= src[0]:
                    if via is None:
                        via = f["src"]
                    at_start = self.strip_connectors(self.skip_space(f["cs"], se), se) >= subj[0]
                    coordinated = v["bnd"] is not None and t[v["bnd"][0] : v["bnd"][1]] not in _SUBORDINATE
                    if at_start and not coordinated:
                        emitted_for_frame.add(i)
            conf = _CONF.get(rule, 0.7) - (0.05 if inherited else 0.0)
            out.append(Cand(src, (vs, ve), (cs, ce), kind, via, rule, inherited, conf))
            # embedded cues that share this subject
            for d in v["emb"]:
                c0, c1 = self.strip_span(d["cs"], d["ce"])
                if len(self.words(c0, c1)) >= 2:
                    kd = self.kind_of(c0, c1)
                    out.append(Cand(src, d["cue"], (c0, c1), kd, via, "embedded", inherited, 0.8))
                d["done"] = True

        # embedded cues not attached to a verb: subject before them
        for d in em:
            if d.get("done"):
                continue
            L0 = ss
            for f in fr:
                if f["cue"][0] < d["cue"][0] and f["cs"] <= d["cue"][0]:
                    L0 = max(L0, f["cs"])
            subj = self.find_subject(L0, d["cue"][0])
            if subj is None or not self.valid_source(subj):
                continue
            c0, c1 = self.strip_span(d["cs"], d["ce"])
            if len(self.words(c0, c1)) >= 2:
                out.append(
                    Cand(subj, d["cue"], (c0, c1), self.kind_of(c0, c1), None, "embedded", False, 0.75)
                )

        # 'فارس: استاندار گفت: ...': the headline label relays the speaker
        if head is not None:
            h0 = self.strip_connectors(head.content[0], head.content[1])
            for c in out:
                if c is not head and c.rule != "embedded" and abs(c.src[0] - h0) <= 1:
                    if c.via is None:
                        c.via = head.src
                    out.remove(head)
                    break

        # frames with their own content
        for i, f in enumerate(fr):
            if i in emitted_for_frame or f["own"] or f.get("relay"):
                continue
            if f["post"] is not None:
                c0, c1 = f["post"]
                if len(self.words(c0, c1)) >= 2:
                    kd = "according_to"
                    out.append(Cand(f["src"], f["cue"], (c0, c1), kd, f["outer"], "frame", False, 0.75))
                continue
            cs = f["cs"]
            ce = self.clause_end(cs, se, cuts_for(cs, True))
            # a verb whose explicit subject opens the content: the frame is a relay
            c0 = self.strip_connectors(self.skip_space(cs, ce), ce)
            c0, c1 = self.strip_span(c0, ce)
            if len(self.words(c0, c1)) < 2:
                continue
            out.append(
                Cand(
                    f["src"],
                    f["cue"],
                    (c0, c1),
                    "according_to",
                    f["outer"],
                    "frame",
                    False,
                    0.82,
                )
            )
        return out

    def after_cue(self, i: int, se: int) -> tuple[tuple[int, int], str] | None:
        """The content after a cue that ends at ``i``: a quotation, colon speech
        or a (که) clause up to its end."""
        t = self.t
        i = self.skip_space(i, se)
        colon = False
        while i < se and t[i] in "،,:":
            colon = colon or t[i] == ":"
            i = self.skip_space(i + 1, se)
        if t.startswith("که", i) and (i + 2 >= se or not t[i + 2].isalnum()):
            i = self.skip_space(i + 2, se)
        if i >= se:
            return None
        q = self.doc.quote_starting(i)
        if q is not None and q[1] < se + 1 and not t[q[1] + 1 : se].strip(' .!؟?»"،,\n'):
            return (q[0] + 1, q[1]), "direct"
        end = self.clause_end(i, se, [], semicolon=not colon)
        if colon and end == se:
            end = self.colon_run(se)
        c0, c1 = self.strip_span(i, end)
        if len(self.words(c0, c1)) < 2:
            return None
        return (c0, c1), self.kind_of(c0, c1)

    @staticmethod
    def in_sentence(ms: list[re.Match], ss: int, se: int) -> list[re.Match]:
        """The matches (sorted by start) that lie inside [ss, se)."""
        if not ms:
            return []
        i = bisect_left(ms, ss, key=lambda m: m.start())
        out = []
        while i < len(ms) and ms[i].start() < se:
            if ms[i].end() <= se:
                out.append(ms[i])
            i += 1
        return out

    def passive_cues(self, ss: int, se: int) -> list[Cand]:
        """'در این گزارش آمده است ...', 'در بیانیه X آمده است ...' and passives
        with an agent, 'از سوی X اعلام شد که ...'."""
        t = self.t
        lex = self.lex
        out: list[Cand] = []
        for m in self.in_sentence(self.amade, ss, se):
            rest = self.words(m.start("rest"), m.end("rest")) if m.group("rest") else []
            rest_words = [t[a:b] for a, b in rest]
            src = None
            while rest and rest_words[0] in lex.doc_modifiers:
                rest, rest_words = rest[1:], rest_words[1:]
            if rest and "که" not in rest_words and rest_words[0] not in lex.stop_words:
                # the issuer, up to a preposition or time word: 'بیانیه سپاه در روز ...'
                keep = []
                for w, word in zip(rest, rest_words, strict=True):
                    if word in lex.stop_words:
                        break
                    keep.append(w)
                cand = (keep[0][0], keep[-1][1])
                if self.valid_source(cand):
                    src = cand
            if src is None and m.group("det"):
                src = (m.start("det"), m.end("h"))
            if src is None:
                continue
            got = self.after_cue(m.end(), se)
            if got is None:
                continue
            (c0, c1), kind = got
            rule = "frame" if src[0] == m.start("det") else "amade"
            out.append(Cand(src, (m.start(), m.end()), (c0, c1), kind, None, rule, False, 0.7))
        for m in self.in_sentence(self.agent, ss, se):
            ws = self.words(m.start("x"), m.end("x"))
            if (
                not ws
                or t[ws[0][0] : ws[0][1]] in lex.stop_words
                or t[ws[0][0] : ws[0][1]] in lex.doc_modifiers
            ):
                continue
            src = (m.start("x"), m.end("x"))
            if not self.valid_source(src):
                continue
            got = self.after_cue(m.end(), se)
            if got is None and t[m.start("v") : m.end("v")].startswith("تکذیب"):
                # 'این ادعا از سوی X تکذیب شد': the subject is what was denied
                j = m.start()
                while j > ss and not (t[j - 1] in "،,:؛;\n" and self.top_level(j - 1)):
                    j -= 1
                c0, c1 = self.strip_span(self.strip_connectors(j, m.start()), m.start())
                if len(self.words(c0, c1)) >= 2:
                    got = (c0, c1), self.kind_of(c0, c1)
            if got is None:
                continue
            (c0, c1), kind = got
            out.append(Cand(src, (m.start(), m.end()), (c0, c1), kind, None, "agent", False, 0.7))
        return out

    def colon_run(self, se: int, block: bool = False) -> int:
        """Colon speech without quote marks runs on to the end of its line,
        through the following sentences that hold no cue of their own; with
        ``block`` (a label alone on its line) to the end of the paragraph."""
        t = self.t
        if block:
            m = _BLANK_LINE.search(t, se)
            nl = m.start() if m else -1
        else:
            nl = t.find("\n", se)
        line_end = len(t) if nl < 0 else nl
        if line_end - se > 2000:
            return se
        end = se
        sents = self.doc.sentences
        k = bisect_right(self._sent_starts, se)
        while k < len(sents) and sents[k][0] < line_end:
            a, b = sents[k]
            j = bisect_left(self.cue_starts, a)
            if j < len(self.cue_starts) and self.cue_starts[j] < b and (block or self.opens_speaker(a, b)):
                break
            if block:
                # a line that opens with a label of its own ('Y: ...')
                c = self.next_sep(a, min(b, a + 80), ":")
                if c >= 0 and self.label(a, c, [], []) is not None:
                    break
            end = min(b, line_end)
            k += 1
        return end

    def opens_speaker(self, a: int, b: int) -> bool:
        """Does the sentence [a, b) open with a speaker or a frame, so that it
        starts an attribution of its own?"""
        t = self.t
        lex = self.lex
        a = self.strip_connectors(a, b)
        ws = self.words(a, min(b, a + 60))
        if not ws:
            return False
        w0 = t[ws[0][0] : ws[0][1]]
        two = _k(t, ws[0][0], ws[1][1]) if len(ws) > 1 else w0
        if w0 in lex.pronoun_person or w0 in lex.pronoun_plural or two in lex.anaphors:
            return True
        if w0 in lex.person_titles or w0 in lex.org_heads or w0 in lex.known_outlets:
            return True
        return any(a <= c < a + 3 for c in self.cue_starts[bisect_left(self.cue_starts, a) :][:1])

    def kind_of(self, s: int, e: int) -> str:
        return "mixed" if _QMARK.search(self.t, s, e) else "indirect"

    def content_for(self, v: dict, after_subj: int, ss: int, se: int, cuts_for):
        t = self.t
        vs, ve = v["cue"]
        info = v["info"]
        frames_ = info.frames
        # content after the verb
        i = self.skip_space(ve, se)
        colon = False
        while i < se and t[i] in "،,:":
            colon = colon or t[i] == ":"
            i = self.skip_space(i + 1, se)
        if t.startswith("که", i) and (i + 2 >= se or not t[i + 2].isalnum()):
            i = self.skip_space(i + 2, se)
            ke = True
        else:
            ke = False
        after_ok = "after" in frames_
        cuts = cuts_for(i, False)
        if after_ok and i < se:
            q = self.doc.quote_starting(i)
            if q is not None and q[1] < se + 1:
                rest_s = q[1] + 1
                ce = self.clause_end(rest_s, se, cuts, semicolon=False)
                rest = t[rest_s:ce].strip(' .!؟?»"،,\n')
                if not rest:
                    return (q[0] + 1, q[1]), "direct", "quote"
                end = self.clause_end(i, se, cuts)
                c0, c1 = self.strip_span(i, end)
                return (c0, c1), "mixed", "quote"
            if info.quote_only and not colon:
                return None
            if info.future and not colon:
                return None
            first = _WORD.match(t, i)
            first_w = first.group() if first else ""
            b = v["bnd"]
            comma_after = t[ve:i].strip(" ") in ("،", ",")
            if b is not None and t[b[0] : b[1]] in _SUBORDINATE and t[b[0] : b[1]] != "که" and comma_after:
                # 'پس از آنکه او ... اعلام کرد، فوتبالیست ...': the comma closes the
                # subordinate clause and the main clause follows
                first_w = ""
            if colon or ke or (first_w and first_w not in ("و", "از")):
                end = self.clause_end(i, se, cuts, semicolon=not colon)
                if colon and not ke and end == se:
                    end = self.colon_run(se)
                c0, c1 = self.strip_span(i, end)
                if c1 > c0:
                    if colon and not ke:
                        kind = "mixed" if _QMARK.search(t, c0, c1) else "direct"
                        return (c0, c1), kind, "colon"
                    return (c0, c1), self.kind_of(c0, c1), "ke" if ke else "bare"
        if info.future:
            return None
        # a quotation that opens the sentence, then its speaker:
        # '«...»، وزیر خارجه در توییتی نوشت.'
        if "after" in frames_ and not t[i:se].strip(' .!؟?»"،,'):
            q0 = self.strip_connectors(self.skip_space(ss, vs), vs)
            q = self.doc.quote_starting(q0) if q0 < vs else None
            if q is not None and q[1] < vs and not self.words(q[1] + 1, v["src_start"]):
                return (q[0] + 1, q[1]), "direct", "quote"
            # '«... است.» سخنگوی ارتش گفت.': the quotation closed the sentence before
            k = bisect_right(self._sent_starts, ss) - 2
            if q is None and k >= 0 and not self.words(ss, v["src_start"]):
                ps, pe = self.doc.sentences[k]
                q = self.doc.quote_starting(ps)
                if q is not None and q[1] >= pe - 1:
                    return (q[0] + 1, q[1]), "direct", "quote"
        # content before the verb
        s0 = after_subj
        ws = [w for w in self.words(s0, vs) if self.top_level(w[0])]
        if not ws:
            return None
        if "az" in frames_:
            for w in ws:
                if t[w[0] : w[1]] == "از":
                    c0, c1 = self.strip_span(w[1], vs)
                    return (c0, c1), self.kind_of(c0, c1), "az"
        if "bar" in frames_:
            for w in ws:
                if t[w[0] : w[1]] == "بر":
                    c0, c1 = self.strip_span(w[1], vs)
                    return (c0, c1), self.kind_of(c0, c1), "az"
        if "ra" in frames_ or "ra_pred" in frames_:
            ra = [w for w in ws if t[w[0] : w[1]] == "را"]
            if not ra:
                return None
            r = ra[-1]
            if info.claim_object and not any(
                n in t[s0 : r[0]].replace(" ", "") for n in self.lex.claim_nouns
            ):
                return None
            obj_s = s0
            sep = -1
            j = r[0] - 1
            while j >= s0:
                if t[j] in "،," and self.top_level(j):
                    sep = j
                    break
                j -= 1
            if sep >= 0:
                obj_s = sep + 1
            # leading time words belong to the clause, not the object
            for w in self.words(obj_s, r[0]):
                word = t[w[0] : w[1]]
                if (
                    word in self.lex.stop_words
                    and word not in ("این", "آن")
                    and word not in ("از", "در", "به")
                ):
                    obj_s = w[1]
                    continue
                break
            if "ra_pred" in frames_ and ("ra" not in frames_ or (r[1] < vs - 1 and self.words(r[1], vs))):
                c0, c1 = self.strip_span(obj_s, vs)
            else:
                c0, c1 = self.strip_span(obj_s, r[0])
            return (c0, c1), self.kind_of(c0, c1), "ra"
        return None

    def label(self, start: int, colon: int, verbs, frames) -> tuple[int, int] | None:
        """The speaker label before a headline colon, or None."""
        t = self.t
        lex = self.lex
        x = self.strip_span(start, colon)
        ws = self.words(*x)
        # bullets and emoji before a label ('🔴 X:', '▪️ X:') are not part of it
        while ws and not _ALNUM.search(t, ws[0][0], ws[0][1]):
            ws = ws[1:]
        if not 1 <= len(ws) <= 8 or t[ws[0][0]] == "#":
            return None
        x = (ws[0][0], x[1])
        first = t[ws[0][0] : ws[0][1]]
        last = t[ws[-1][0] : ws[-1][1]]
        xk = _k(t, *x)
        if (
            (first in lex.stop_words and first not in lex.source_starts_ok)
            or last in lex.stop_words
            or last in _HEADLINE_END_BAD
            or xk in _NOT_HEADLINE
            or (len(ws) == 1 and first in _NOT_HEADLINE)
            or (
                first in _NOT_HEADLINE
                and first not in lex.person_titles
                and not first.startswith(lex.media_heads)
            )
            or any(x[0] <= v[0] < colon for v in verbs)
            or any(x[0] <= f["cue"][0] < colon for f in frames)
            or not self.valid_source(x)
            or any(c in xk for c in lex.exclusion_cues)
            or "?" in t[x[0] : x[1]]
            or "؟" in t[x[0] : x[1]]
        ):
            return None
        m = self.lex.interview_re.search(t, x[0], x[1])
        if m:
            x = self.strip_span(x[0], m.start())
            if x[0] >= x[1]:
                return None
        return x

    def headline(self, ss: int, se: int, verbs, frames) -> Cand | None:
        t = self.t
        start = ss
        for _ in range(2):
            colon = self.next_sep(start, min(se, start + 120), ":|")
            if colon < 0:
                return None
            src = self.label(start, colon, verbs, frames)
            if src is not None:
                via = None
                # 'تسنیم: معاون استاندار: ...': the outlet relays the inner speaker
                c2 = self.next_sep(colon + 1, min(se, colon + 80), ":")
                if c2 >= 0:
                    inner = self.label(colon + 1, c2, verbs, frames)
                    if inner is not None and len(self.words(c2 + 1, se)) >= 3:
                        via, src, colon = src, inner, c2
                c0, c1 = self.strip_span(colon + 1, se)
                if len(self.words(c0, c1)) < 3:
                    return None
                if "\n" in t[colon + 1 : c0] and not self.doc.quote_at(c0):
                    # 'X:\nA.\nB.': the label heads the lines under it
                    c0, c1 = self.strip_span(colon + 1, self.colon_run(se, block=True))
                if t[c0] == "«":
                    q = self.doc.quote_starting(c0)
                    if q and not t[q[1] + 1 : c1].strip(" .!»"):
                        c0, c1 = q[0] + 1, q[1]
                return Cand(src, (colon, colon + 1), (c0, c1), "according_to", via, "headline", False, 0.75)
            start = colon + 1
        return None


def _rare_cues(t: str) -> tuple[list[re.Match], list[re.Match]]:
    """Matches of the document-statement and agent-passive patterns, found
    from their key words ('آمده', 'سوی', 'توسط' ...) so that the whole text is
    scanned only by fast literal searches."""
    amade: list[re.Match] = []
    keys: list[int] = []
    for key in _AMADE_KEYS:
        i = t.find(key)
        while i >= 0:
            keys.append(i)
            i = t.find(key, i + len(key))
    for i in sorted(keys):
        for m in _AMADE.finditer(t, max(0, i - 160), min(len(t), i + 20)):
            if m.start("v") == i and (not amade or amade[-1].start() != m.start()):
                amade.append(m)
    agent: list[re.Match] = []
    for k in _AGENT_KEY.finditer(t):
        m = _AGENT_PASSIVE.match(t, k.start() - 3) or _AGENT_PASSIVE.match(t, k.start())
        if m is not None and (not agent or agent[-1].start() != m.start()):
            agent.append(m)
    return amade, agent


def find_all(doc: Doc, lex: Lexicon) -> list[Cand]:
    t = doc.t
    verbs = [m.span() for m in lex.verb_re.finditer(t)]
    frames = [m.span() for m in lex.frame_re.finditer(t)]
    embeds = [m.span() for m in lex.embedded_re.finditer(t)]
    # the rarer cues are searched only in documents that hold their key word
    amade, agent = _rare_cues(t)
    nominals = sorted([m.start() for m in _NOMINAL.finditer(t)] + [m.start() for m in amade + agent])
    i = t.find("خبر از")
    while i >= 0:
        if _KHABAR_AZ.match(t, i):
            insort(nominals, i)
        i = t.find("خبر از", i + 6)
    rules = SentenceRules(doc, lex)
    rules.amade, rules.agent = amade, agent
    rules.cue_starts = sorted([a for a, _ in verbs] + [a for a, _ in frames] + [a for a, _ in embeds])
    out: list[Cand] = []
    if "تکذیب" in t:
        for m in _NOMINAL_HEADLINE.finditer(t):
            x = rules.strip_span(m.start("x"), m.end("x"))
            c = rules.strip_span(m.start("c"), m.end("c"))
            if 1 <= len(rules.words(*x)) <= 6 and rules.valid_source(x) and len(rules.words(*c)) >= 2:
                out.append(Cand(x, m.span("cue"), c, rules.kind_of(*c), None, "nominal", False, 0.6))
    vi = fi = ei = 0
    for ss, se in doc.sentences:
        while vi < len(verbs) and verbs[vi][0] < ss:
            vi += 1
        while fi < len(frames) and frames[fi][0] < ss:
            fi += 1
        while ei < len(embeds) and embeds[ei][0] < ss:
            ei += 1
        vj, fj, ej = vi, fi, ei
        while vj < len(verbs) and verbs[vj][1] <= se:
            vj += 1
        while fj < len(frames) and frames[fj][1] <= se:
            fj += 1
        while ej < len(embeds) and embeds[ej][1] <= se:
            ej += 1
        head_zone = t[ss : min(se, ss + 120)]
        has_colon = ":" in head_zone or "|" in head_zone
        if vj == vi and fj == fi and ej == ei and not has_colon:
            k = bisect_left(nominals, ss)
            if not (k < len(nominals) and nominals[k] < se):
                continue
        # embedded cues overlap frames ('با تاکید بر اینکه' is not 'بر اساس')
        out.extend(rules.sentence(ss, se, verbs[vi:vj], frames[fi:fj], embeds[ei:ej]))
    return out
