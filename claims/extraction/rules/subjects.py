"""Subjects and apposition: the noun phrase that speaks, where a ``را`` object
opens, and whether a phrase can be a speaker at all.
"""

from __future__ import annotations

import re

from .common import _ALNUM, _DIGITS, _RA, _VERB_WORDS, _k
from .forms import verb_forms

_TIME_NOUNS = frozenset(["روز", "هفته", "ماه", "سال", "ساعت", "دقیقه", "ثانیه", "شب", "دهه", "قرن"])
_QUANTIFIERS = frozenset(
    ["چند", "یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "نه", "ده", "همان", "همین"]
)
# a verb glued after a word ('به‌دادگاه‌می‌رود'), a letter split off by a space
_GLUED_MI = re.compile(r"[^\W\d_]{2}می[^\W\d_]{2}")
_ONE_LETTER = re.compile(r"(?<!\S)[^\sو](?!\S)")
_WORD_CHAR = re.compile(r"[^\s،,:؛;«»\"()\[\].!?؟…/|]")
# a date or a number standing alone ('۱۴۰۱/۰۵/۲۰', '2020')
_DATE_TOKEN = re.compile(r"^[0-9][0-9/\-.]*$")
# words after a finite verb that continue its clause
_CLAUSE_GOES_ON = frozenset(
    ["و", "که", "تا", "اما", "ولی", "یا", "را", "نیز", "هم", "است", "بود", "باشد", "شد", "شود", "اند", "چون"]
)
# adverbs that may stand between a clause's verb and the next word
_TRAILING_ADVERBS = frozenset(["نیز", "هم", "همچنین", "هنوز", "اکنون"])
_DETERMINERS = frozenset(["چنین", "همین", "همان", "هر", "آن", "این", "چند", "همه"])
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
# prepositions of a recipient or companion phrase that can carry an apposition
_RECIPIENT = frozenset(["به", "با", "برای"])
_PREPOSITIONS = frozenset(["از", "در", "به", "با", "بر", "برای", "درباره", "علیه", "روی"])


class SubjectsMixin:
    """Finds subjects (with their apposition) and checks sources."""

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
            if q is not None and q[1] < e and self.n_words(q[1] + 1, e) and not self.quoted_name(q, e):
                # '«...» کائو افزود': the subject follows the quotation
                s = q[1] + 1
                continue
            # (a subject is at most twelve words; a few more show what follows it)
            ws = self.head_words(s, e, 24)
            if not ws:
                return None
            w0 = t[ws[0][0] : ws[0][1]]
            # a dateline before the subject: 'پنجشنبه ۱۴۰۱/۰۵/۲۰ ژوزه مورایس ... گفت'
            if _DATE_TOKEN.match(w0) or (
                len(ws) > 2 and w0 in lex.stop_words and _DATE_TOKEN.match(t[ws[1][0] : ws[1][1]])
            ):
                k = 0 if _DATE_TOKEN.match(w0) else 1
                if len(ws) > k + 1 and t[ws[k + 1][0] : ws[k + 1][1]] not in lex.stop_words:
                    s = ws[k][1]
                    continue
            if (
                w0 in lex.stop_words
                and w0 not in lex.source_starts_ok
                # 'نخست وزیر', 'امام جمعه': a title that opens with a stop word
                and not (len(ws) > 1 and w0 + t[ws[1][0] : ws[1][1]] in lex.person_titles)
            ):
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
        if ws[0][0] < s:
            ws = self.head_words(s, e, 24)  # (the search jumped ahead inside the words)
        elif ws[0][0] > s and t[s : ws[0][0]].strip():
            ws = self.head_words(s, e, 24)
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
                # ... and so is a title that holds a stop word ('امام جمعه')
                if not (word == "از" and prev in _PARTITIVE) and prev + word not in lex.person_titles:
                    end_word = i - 1
                    # 'X چند روز قبل', 'X دو سال پیش': the number opens the time phrase
                    if word in _TIME_NOUNS:
                        while end_word >= 1 and (
                            t[ws[end_word][0] : ws[end_word][1]] in _QUANTIFIERS
                            or t[ws[end_word][0] : ws[end_word][1]].isdigit()
                        ):
                            end_word -= 1
                    break
            elif (
                i == 0
                and word in lex.stop_words
                and word not in lex.source_starts_ok
                and not (len(ws) > 1 and word + t[ws[1][0] : ws[1][1]] in lex.person_titles)
            ):
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
            # ('X در حالی Y را ... که': the correlative, not an object's preposition)
            and not (stopper == "در" and t.startswith("حالی", self.skip_space(ws[end_word + 1][1], e)))
            and end_word + 1 < len(ws)
            and _RA.search(t, ws[end_word + 1][0], e) is not None
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
        ran_to_comma = sep >= 0 and not _WORD_CHAR.search(t, ws[end_word][1], sep)
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
            # (an event noun right after the head word names an office: 'ستاد
            # برگزاری'; after a complete title it opens the object: 'رئیس پلیس
            # بازداشت این افراد را تایید کرد')
            if word in lex.object_heads and (
                i > 1
                or (prev not in lex.org_heads and prev not in lex.person_titles)
                or word.startswith(lex.claim_nouns)  # 'شهرداری ادعای رسانه‌ها را ...'
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

    def names_speaker(self, span: tuple[int, int], quotes: bool = True) -> bool:
        """Does the phrase hold a title, an organisation, an outlet, a pronoun
        or (with ``quotes``) a quoted name, anywhere in it ('ناصر کنعانی
        سخنگوی وزارت خارجه')?"""
        t = self.t
        lex = self.lex
        if self.speakerish(span, 0, 0) or (quotes and "«" in t[span[0] : span[1]]):
            return True
        return any(
            t[a:b] in lex.person_titles or t[a:b] in lex.org_heads or t[a:b] in lex.known_outlets
            for a, b in self.words(*span)
        )

    def subject_or_fronted(self, s: int, e: int) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
        """The subject of [s, e) and, when a 'را' object comes before it
        ('این خبر را یک مقام آگاه تایید کرد'), that object."""
        subj = self.find_subject(s, e)
        if subj is None or self.t.startswith("را", self.skip_space(subj[1], e)):
            obj = self.fronted_object(s, e)
            if obj is not None:
                s2 = self.find_subject(obj[2], e)
                # (a title, an organisation or a quoted name before a title: 'آن
                # را «حاکمیت امارات» خواند' holds a quoted predicate, no speaker)
                if s2 is not None and self.names_speaker(s2, quotes=False):
                    return s2, obj[:2]
        return subj, None

    def fronted_object(self, s: int, e: int) -> tuple[int, int, int] | None:
        """A 'را' object that opens the clause before its subject ('این موضوع
        را سخنگو اعلام کرد'): its span and where the rest of the clause
        starts. The object opens with a determiner, an event or a claim noun."""
        t = self.t
        lex = self.lex
        s = self.skip_space(self.strip_connectors(s, e), e)
        ws = self.words(s, e)
        if len(ws) < 3:
            return None
        w0 = t[ws[0][0] : ws[0][1]]
        if not (w0 in _DETERMINERS or w0 in lex.object_heads or w0.startswith(lex.claim_nouns)):
            return None
        for k in range(1, min(len(ws) - 1, 7)):
            if t[ws[k - 1][1] : ws[k][0]].strip():
                return None  # a comma or a quotation mark: no simple object
            if t[ws[k][0] : ws[k][1]] == "را":
                return (ws[0][0], ws[k - 1][1], ws[k][1])
        return None

    def quoted_name(self, q: tuple[int, int], e: int) -> bool:
        """Is the quotation a quoted name that opens the subject: a few words
        followed by a title or a relative clause ('«یوهان وادهفول» وزیر
        امور خارجه آلمان', '«کوین هند» که ...')?"""
        t = self.t
        inner = self.words(q[0] + 1, q[1])
        if not 1 <= len(inner) <= 6 or any(c in t[q[0] : q[1]] for c in ".،,:؛!?؟"):
            return False
        nxt = self.words(q[1] + 1, e)
        if not nxt or t[q[1] + 1 : nxt[0][0]].strip():
            return False
        w = t[nxt[0][0] : nxt[0][1]]
        return w in self.lex.person_titles or w in self.lex.org_heads or w == "که"

    def closed_by_verb(self, s: int, e: int) -> bool:
        """Does the clause [s, e) (after a relative 'که') end in its own finite
        verb or participle, so that what follows it is the main clause's?"""
        ws = [w for w in self.words(s, e) if self.top_level(w[0])]
        while ws and self.t[ws[-1][0] : ws[-1][1]] in _TRAILING_ADVERBS:
            ws.pop()
        if len(ws) < 2:
            return False
        last = self.t[ws[-1][0] : ws[-1][1]]
        forms = verb_forms()
        if last in forms.third or last in forms.past or last in _VERB_WORDS:
            return True
        return last.endswith("ه") and last[:-1] in forms.past and last[:-1] + "ند" in forms.past

    def after_finite(self, s: int, e: int) -> int:
        """After the last finite verb among the words of [s, e) that is
        followed by a word that can open a new clause's subject: 'یک معضل
        ملی در حال وقوع است رضا شهبازی ... می‌گوید', also when the verb is
        glued to the word before it ('پرونده به‌دادگاه‌می‌رود دادستان ...')."""
        t = self.t
        forms = verb_forms()
        third, personal = forms.third, forms.personal
        toks = t[s:e].split()
        if (
            third.isdisjoint(toks)
            and personal.isdisjoint(toks)
            and not _GLUED_MI.search(t, s, e)
            and not _ONE_LETTER.search(t, s, e)
        ):
            return s  # no verb, glued verb or piece of a split verb among them
        ws = self.words(s, e)
        if len(ws) < 3:
            return s
        for k in range(len(ws) - 2, -1, -1):
            a, b = ws[k]
            w = t[a:b]
            # (second person singular forms in -ی are left out: 'نهادهای' is
            # more often 'institutions of' than 'you have placed')
            if not (w in third or (w in personal and not w.endswith("ی"))):
                i = w.rfind("می", 1)
                split = k > 0 and len(w) == 1 and t[ws[k - 1][0] : ws[k - 1][1]] + w in third
                if not split and (i < 2 or w[i:] not in third):
                    continue  # (nor a verb split by a stray space: 'تکذیب کر د')
            nxt = t[ws[k + 1][0] : ws[k + 1][1]]
            if nxt in _CLAUSE_GOES_ON or nxt in self.lex.stop_words or t[b : ws[k + 1][0]].strip():
                continue
            if not self.top_level(a) or self.in_ke_clause(ws, k):
                continue
            return ws[k + 1][0]
        return s

    def in_ke_clause(self, ws: list[tuple[int, int]], k: int) -> bool:
        """Is word ``k`` inside a 'که' clause opened among the words before it
        (with no comma since)?"""
        t = self.t
        for j in range(k - 1, -1, -1):
            if t[ws[j][0] : ws[j][1]] in ("که", "تا", "اگر", "چون", "وقتی"):
                return True
            if any(c in t[ws[j][1] : ws[j + 1][0]] for c in "،,:؛;"):
                return False
        return False

    def skip_ke(self, s: int, e: int) -> int:
        """After a leading complementizer 'که' (a clause that opens with it)."""
        s = self.skip_space(s, e)
        if self.t.startswith("که", s) and (s + 2 >= e or not self.t[s + 2].isalnum()):
            return s + 2
        return s

    def ends_in_verb(self, span: tuple[int, int]) -> bool:
        ws = self.words(*span)
        if not ws:
            return False
        last = self.t[ws[-1][0] : ws[-1][1]]
        return last in _VERB_WORDS or (len(ws) > 1 and last.startswith("می") and last.endswith("د"))

    def source_ok(self, span: tuple[int, int]) -> bool:
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
        if last == "و" or any(t[a:b] in _VERB_WORDS for a, b in ws[1:-1]):
            return False  # a clause ('رئیس فدراسیون تغییر نکرده و ...'), not a name
        return not all(_DIGITS.match(t[w[0] : w[1]]) for w in ws)
