"""Finite verb forms from hazm's verb list, built once per process: what ends a
clause or a headline when no stop does (``layout.py``), what makes a sentence
the reporter's narration or a speaker's own words (``speech.py``), and what
cannot belong to a name (``subjects.py``, ``glue.py``)."""

from __future__ import annotations

import os

from ..text import match_form

# stems of modal and auxiliary verbs: what follows them is their own clause
_MODAL_STEMS = ("خواست", "خواه", "توانست", "توان")
# a form that hazm's word list holds as a word of its own ('خرید', 'نشست',
# 'دست') is not taken for a verb, except the light verbs
_NOUN_COUNT = 1_000
_LIGHT = frozenset(
    [
        "کرد",
        "شد",
        "داد",
        "نمود",
        "گرفت",
        "بود",
        "زد",
        "یافت",
        "کردند",
        "شدند",
        "دادند",
        "کند",
        "کنند",
        "شود",
        "شوند",
        "دهد",
        "دهند",
        "دارد",
        "دارند",
        "رسید",
        "رسیدند",
        "شوم",
    ]
)


def _hazm_data(name: str) -> str | None:
    import importlib.util

    spec = importlib.util.find_spec("hazm")
    if not spec or not spec.origin:
        return None
    return os.path.join(os.path.dirname(spec.origin), "data", name)


def _verb_stems() -> list[tuple[str, str]]:
    path = _hazm_data("verbs.dat")
    out: list[tuple[str, str]] = []
    if path is None:
        return out
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                past, _, present = line.strip().partition("#")
                out.append((match_form(past), match_form(present)))
    except OSError:
        return []
    return out


def _common_nouns(forms: set[str]) -> set[str]:
    """The forms that hazm's word list counts as common words of their own
    ('نشست', 'نخست', 'دست'): not taken for verbs."""
    nouns: set[str] = set()
    path = _hazm_data("words.dat")
    try:
        with open(path or "", encoding="utf-8") as fh:
            for line in fh:
                w, _, rest = line.partition("\t")
                if w in forms:
                    count = rest.partition("\t")[0]
                    if count.isdigit() and int(count) >= _NOUN_COUNT and w not in _LIGHT:
                        nouns.add(w)
    except OSError:
        pass
    return nouns


class VerbForms:
    """Finite verb forms of hazm's verb list in the matching form (no ZWNJ):
    ``third`` (third person, every tense; what ends a headline), ``past``
    (third-person past and perfect: the reporter's narration) and
    ``personal`` (first and second person: a speaker's own words)."""

    def __init__(self) -> None:
        third: set[str] = {"است", "نیست", "هست", "اند", "باشد", "نباشد", "باشند", "نباشند"}
        past3: set[str] = set()
        personal: set[str] = {"هستم", "هستیم", "هستید", "هستی", "نیستم", "نیستیم", "نیستید", "ام", "ایم"}
        for past, present in _verb_stems():
            modal = past.startswith(_MODAL_STEMS) or present.startswith(_MODAL_STEMS)
            pres = [present, present + "ی"] if present.endswith(("ا", "و")) else [present]
            for neg in ("", "ن"):
                if past:
                    for p in (past, "می" + past):
                        past3.add(neg + p)
                        past3.add(neg + p + "ند")
                        # (second person singular in -ی is left out: 'سوخت‌های',
                        # 'نهادهای' are nouns far more often than 'you have ...')
                        for end in ("م", "یم", "ید"):
                            personal.add(neg + p + end)
                    past3.add(neg + past + "هاند")
                    past3.add(neg + past + "هاست")
                    for end in ("ام", "ایم", "اید"):
                        personal.add(neg + past + "ه" + end)
                for r in pres:
                    for p in ("می" + r, r, "ب" + r):
                        third.add(neg + p + "د")
                        third.add(neg + p + "ند")
                        for end in ("م", "یم", "ید"):
                            personal.add(neg + p + end)
            if modal:
                past3 -= {past, past + "ند"}
            elif not past.startswith(_PREVERBS):
                # with a preverb: 'فروپاشید', 'برمی‌گردد', 'بازمی‌گشت'
                for pv in _PREVERBS:
                    for p in (past, "می" + past):
                        past3.add(pv + p)
                        past3.add(pv + p + "ند")
                    past3.add(pv + past + "هاست")
                    past3.add(pv + past + "هاند")
                    for r in pres:
                        third.add(pv + "می" + r + "د")
                        third.add(pv + "می" + r + "ند")
        third |= past3
        forms = third | personal
        nouns = _common_nouns({f for f in forms if len(f) >= 2})
        self.third = frozenset(
            f for f in third if len(f) >= 2 and f not in nouns and not f.startswith(_MODAL_FORMS)
        )
        self.past = frozenset(f for f in past3 if len(f) >= 2 and f not in nouns)
        # 'میگوید' is third person singular before it is second person plural
        self.personal = frozenset(f for f in personal - third if len(f) >= 3 and f not in nouns)


_FORMS: VerbForms | None = None
# preverbs written joined to the verb ('فروپاشید', 'برمی‌گردد', 'بازگشت')
_PREVERBS = ("بر", "باز", "فرو", "فرا", "در", "وا")
_MODAL_FORMS = ("خواه", "میخواه", "نمیخواه", "میتوان", "نمیتوان", "توان", "نتوان")


def verb_forms() -> VerbForms:
    """The verb forms, built once per process."""
    global _FORMS
    if _FORMS is None:
        _FORMS = VerbForms()
    return _FORMS


def finite_forms() -> frozenset[str]:
    """Third-person finite forms (see ``VerbForms``)."""
    return verb_forms().third
