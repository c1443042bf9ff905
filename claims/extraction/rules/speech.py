"""Colon and quoted speech: content after a cue (quotation, colon speech, ``که``
clause), how far unquoted colon speech runs, speaker labels and headline
colons (``سنتکام: ...``, ``تسنیم: معاون استاندار: ...``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from .common import _ALNUM, _VERB_WORDS, Cand, _k
from .forms import verb_forms

# The labels of a page's own lines (its source, id, dates, desk, links), under
# which nobody speaks: 'منبع خبر:', 'کد خبر: 301740', 'تاریخ انتشار: ...'
_PAGE_LABELS = frozenset(
    [
        "منبع",
        "منبعخبر",
        "منابع",
        "کدخبر",
        "شناسهخبر",
        "انتشار",
        "تاریخانتشار",
        "زمانانتشار",
        "بروزرسانی",
        "آخرینبروزرسانی",
        "دستهبندی",
        "سرویس",
        "نامخبرنگار",
        "عکاس",
        "گردآوری",
        "بازدید",
        "لینککوتاه",
        "برچسب",
        "برچسبها",
        "کلیدواژه",
        "کلیدواژهها",
        "اشتراک",
        "پیوند",
        "بیشتربخوانید",
        "همچنینبخوانید",
        "همچنینببینید",
        "اخبارمرتبط",
        "مطالبمرتبط",
        "پربازدیدترین",
    ]
)
# Headline labels that are not speakers: the page's own, and these.
_NOT_HEADLINE = _PAGE_LABELS | {
    "عکس",
    "تصویر",
    "لینک",
    "ویدیو",
    "ویدئو",
    "فیلم",
    "یادداشت",
    "توضیح",
    "پینوشت",
    "اولا",
    "ثانیا",
    "ثالثا",
    "رابعا",
    "نکته",
    "خبر",
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
    # label lines of web pages: scores, ids, dates, bylines, categories
    "گلها",
    "اخراج",
    "کارتزرد",
    "کارتقرمز",
    "داور",
    "داوران",
    "ترکیب",
    "تعویض",
    "تماشاگر",
    "ورزشگاه",
    "خبرنگار",
    "تنظیم",
    "موضوع",
    "ساعت",
}
# a label's words that make it a dateline or byline: 'خبرگزاری مهر، گروه استان‌ها:'
# first- and second-person pronouns: the speaker's own words
_PERSONAL_PRONOUNS = frozenset(["من", "ما", "شما", "مان", "خودم", "خودمان", "ایشان", "بنده"])
# unquoted colon speech runs on for at most this many sentences
_RUN_SENTENCES = 8
_BYLINE_WORDS = frozenset(["گروه", "سرویس", "خبرنگار", "عکاس", "دبیر سرویس"])
_DIGIT_START = re.compile(r"[0-9۰-۹٠-٩][0-9۰-۹٠-٩/\-.:]*(?:\s|$)")
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

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_BULLET_START = re.compile("[\U0001f300-\U0001faff\u2022\u25a0-\u25ff\u2600-\u27bf\u2b50\ufe0f]+")
# a label's topic: 'وزیر نفت درباره قیمت بنزین: ...'
_TOPIC = re.compile(r"(?<![\w])(?:درباره ?ی?|در ?مورد|در ?خصوص|در ?باره|در ?واکنش ?به|در ?پاسخ ?به)(?![\w])")
# a page's note that the story is still being written or has ended ('در حال تکمیل',
# 'این خبر در حال تکمیل است', 'انتهای پیام/', 'ادامه دارد...'): not anyone's words
_STORY_NOTE = re.compile(
    r"[\s\-–—/.…]*(?:(?:این )?خبر )?"
    r"(?:در ?حال (?:تکمیل|به[\u200c ]?روز ?رسانی)(?: است)?|انتهای پیام|پایان پیام|ادامه دارد)"
    r"(?![\w\u200c])[\s/.…!]*"
)
# buttons and page furniture that scraping leaves in the text
_PAGE_FURNITURE = frozenset(["چاپ", "ارسال", "اشتراک", "پرینت", "ذخیره", "بازنشر", "کپی", "نسخهچاپی"])
_MODALS = frozenset(["میتوان", "نمیتوان", "باید", "نباید", "توان", "نتوان", "میشود", "نمیشود"])
# a bare name over at least this many words of narration is a byline
_BYLINE_MIN_WORDS = 25


class SpeechMixin:
    """Quotations, colon runs, labels and headlines."""

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
        q = self.doc.quote_from(i)
        if q is not None and q[1] < se + 1 and not t[q[1] + 1 : se].strip(' .!؟?»"،,\n'):
            return (q[0] + 1, q[1]), "direct"
        end = self.clause_end(i, se, [], semicolon=not colon)
        if colon and end == se:
            end = self.colon_run(se)
        c0, c1 = self.strip_span(i, end)
        if self.n_words(c0, c1) < 2:
            return None
        return (c0, c1), self.kind_of(c0, c1)

    def colon_run(self, se: int, block: bool = False, bullets: bool = False) -> int:
        """How far colon speech without quote marks runs after the sentence
        ending at ``se``: through the following sentences that hold no cue of
        their own and read as the speaker's words, not the reporter's
        narration (a third-person past verb at the end, with no first or
        second person in it), line breaks or not; with ``block`` (a label
        alone on its line) to the end of the paragraph."""
        t = self.t
        sents = self.doc.sentences
        k = bisect_right(self._sent_starts, se)
        end = se
        if block:
            m = _BLANK_LINE.search(t, se)
            line_end = m.start() if m else len(t)
            if line_end - se > 2000:
                return se
            while k < len(sents) and sents[k][0] < line_end:
                a, b = sents[k]
                j = bisect_left(self.cue_starts, a)
                if j < len(self.cue_starts) and self.cue_starts[j] < b:
                    break
                # a line that opens with a label of its own ('Y: ...'), or the page's
                c = self.next_sep(a, min(b, a + 80), ":")
                if (c >= 0 and self.label(a, c, [], []) is not None) or self.page_furniture(a, b, c):
                    break
                end = min(b, line_end)
                k += 1
            return end
        n = 0
        while k < len(sents) and n < _RUN_SENTENCES and sents[k][1] - se <= 3000:
            a, b = sents[k]
            c = self.next_sep(a, min(b, a + 80), ":")
            if self.page_furniture(a, b, c):
                break  # the page's own lines: 'منبع خبر:', 'در حال تکمیل', 'کد خبر: 301740'
            if self.has_lines and "\n" not in t[end:a] and not self.opens_statement(a, b):
                # the same paragraph as the speech before it, with no speaker of
                # its own at its start: the speaker goes on
                end = b
                k += 1
                n += 1
                continue
            j = bisect_left(self.cue_starts, a)
            if j < len(self.cue_starts) and self.cue_starts[j] < b and self.top_level(self.cue_starts[j]):
                break  # a statement of its own (or the reporter's next attribution)
            if c >= 0 and self.label(a, c, [], []) is not None:
                break
            if self.narration(a, b) and not (bullets and _BULLET_START.match(t, a)):
                break  # (an item of a bulleted list under a label is its speaker's)
            end = b
            k += 1
            n += 1
        return end

    def page_furniture(self, a: int, b: int, colon: int) -> bool:
        """Is the sentence [a, b) a line of the page rather than anyone's words: a
        note that the story goes on or has ended, or a label line of the page
        ('منبع خبر:', 'کد خبر: 301740', 'تاریخ انتشار: ...') whose colon is ``colon``?"""
        t = self.t
        m = _STORY_NOTE.match(t, a, b)
        if m:
            # alone, or over a label line when the line breaks are gone
            if m.end() >= b:
                return True
            a = m.end()
            colon = self.next_sep(a, min(b, a + 80), ":")
        if colon < 0:
            return False
        ws = self.words(a, colon)
        return 1 <= len(ws) <= 3 and _k(t, ws[0][0], ws[-1][1]) in _PAGE_LABELS

    def narration(self, a: int, b: int) -> bool:
        """Does the sentence [a, b) read as the reporter's: it ends in a
        third-person past verb and holds no first- or second-person verb or
        pronoun?"""
        t = self.t
        ws = self.words(a, b)
        if not ws:
            return False
        forms = verb_forms()
        words = [t[x:y] for x, y in ws]
        if any(w in forms.personal or w in _PERSONAL_PRONOUNS for w in words):
            return False
        last = words[-1]
        if last in forms.past:
            return True
        if last in ("است", "اند", "بود", "بودند") and len(words) > 1:
            return words[-2].endswith("ه") and words[-2][:-1] + "ند" in forms.past
        return False

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

    def opens_statement(self, a: int, b: int) -> bool:
        """Does the sentence [a, b) open a statement of its own: a speaker at
        its start, or a name that is the subject of a cue within its first
        words ('ذوالجودی با اشاره به ... گفت')?"""
        if self.opens_speaker(a, b):
            return True
        j = bisect_left(self.cue_starts, a)
        if j >= len(self.cue_starts) or self.cue_starts[j] >= b:
            return False
        cue = self.cue_starts[j]
        if self.n_words(a, cue, 7) > 6:
            return False
        subj = self.find_subject(a, cue)
        return subj is not None and subj[0] <= self.strip_connectors(self.skip_space(a, b), b) + 1

    def label(self, start: int, colon: int, verbs, frames) -> tuple[int, int] | None:
        """The speaker label before a headline colon, or None."""
        t = self.t
        lex = self.lex
        x = self.strip_span(start, colon)
        # a section name before a dash is not part of it ('خبر تصویری – X:')
        d = max(t.rfind(" – ", *x), t.rfind(" — ", *x), t.rfind(" - ", *x))
        if d > x[0]:
            x = self.strip_span(d + 2, x[1])
        # 'X، مجری مراسم، درباره هنرمندانی که نیامدند:': the topic is not the speaker
        m = _TOPIC.search(t, x[0], x[1])
        if m and m.start() > x[0] + 1:
            x = self.strip_span(x[0], m.start())
        ws = self.words(*x)
        # bullets and emoji before a label ('🔴 X:', '▪️ X:') are not part of it
        while ws and not _ALNUM.search(t, ws[0][0], ws[0][1]):
            ws = ws[1:]
        # nor the end of a page's label line before it, when the line breaks
        # are gone ('دسته‌بندی: دسته‌بندی نشده چاپ سپهر خلجی: ...')
        for j in range(len(ws) - 2, -1, -1):
            w = t[ws[j][0] : ws[j][1]]
            if w in _PAGE_FURNITURE or w in _VERB_WORDS:
                ws = ws[j + 1 :]
                break
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
            or (last in _NOT_HEADLINE and last not in lex.person_titles)
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
            or any(t[a:b] in _BYLINE_WORDS for a, b in ws[1:])
            or last in verb_forms().third
            or last in verb_forms().past
        ):
            return None  # ... or a clause ('۴۱ کارگر دستگیر شدند: ...')
        # an id, a date or a time after the colon: a label line ('کد خبر: 301740')
        if _DIGIT_START.match(t, self.skip_space(colon + 1, min(len(t), colon + 40))):
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
                    if inner is not None and self.n_words(c2 + 1, se) >= 3:
                        via, src, colon = src, inner, c2
                c0, c1 = self.strip_span(colon + 1, se)
                if self.n_words(c0, c1) < 3:
                    return None
                if not self.label_speaks(src, t[colon] == "|", c0, c1):
                    return None
                if "\n" in t[colon + 1 : c0] and not self.doc.quote_at(c0):
                    # 'X:\nA.\nB.': the label heads the lines under it
                    c0, c1 = self.strip_span(colon + 1, self.colon_run(se, block=True))
                elif _BULLET_START.match(t, c0):
                    # 'X: 🔹A. 🔹B.': a label over a bulleted list
                    c0 = self.skip_space(_BULLET_START.match(t, c0).end(), c1)
                    c0, c1 = self.strip_span(c0, self.colon_run(se, bullets=True))
                elif ss > 0 and t[c0] != "«":
                    # a speaker's label in the body runs on like colon speech
                    c0, c1 = self.strip_span(c0, self.colon_run(se))
                b = _BULLET_START.match(t, c0)
                if b:
                    c0 = self.skip_space(b.end(), c1)
                if t[c0] == "«":
                    q = self.doc.quote_starting(c0)
                    if q and not t[q[1] + 1 : c1].strip(" .!»"):
                        c0, c1 = q[0] + 1, q[1]
                # 'صراط: سخنگو نحوه ... را تشریح کرد': a clause with its own
                # reporting verb under an outlet's credit
                rule = "headline"
                for v in verbs:
                    if c0 < v[0] and v[1] >= c1 - 1:
                        pw = self.words(max(c0, v[0] - 12), v[0])
                        # not after a modal: 'را نمی‌توان پیش‌بینی کرد' is the label's own
                        if not (pw and t[pw[-1][0] : pw[-1][1]] in _MODALS):
                            rule = "credit"
                return Cand(src, (colon, colon + 1), (c0, c1), "according_to", via, rule, False, 0.75)
            start = colon + 1
        return None

    def label_speaks(self, src: tuple[int, int], bar: bool, c0: int, c1: int) -> bool:
        """A section name before '|' ('لیگ برتر فوتبال| ...') is not a speaker,
        nor is a bare name over a paragraph of the reporter's narration (a
        byline: 'الهام نداف: قرار بود منتقدان ... قرار دادند.')."""
        lex = self.lex
        xk = _k(self.t, *src)
        if xk in lex.known_outlets or xk.startswith(lex.media_heads) or self.names_speaker(src):
            return True
        if bar:
            return False
        return not (self.n_words(c0, c1, _BYLINE_MIN_WORDS) >= _BYLINE_MIN_WORDS and self.narration(c0, c1))

    def relay_headline(self, head: Cand | None, out: list[Cand]) -> None:
        """'فارس: استاندار گفت: ...': the headline label relays the speaker."""
        if head is not None:
            h0 = self.strip_connectors(head.content[0], head.content[1])
            for c in out:
                if c is not head and c.rule != "embedded" and abs(c.src[0] - h0) <= 1:
                    if c.via is None:
                        c.via = head.src
                    out.remove(head)
                    return
            if head.rule == "credit":
                out.remove(head)
