"""Loads the lexicon data files and compiles them into matchers.

The data lives in ``lexicon/*.json`` so an editor can extend it without
touching code. Verb entries are lemmas; this module generates their
third-person conjugations. Every generated form is put in matching form
(see ``text.match_form``) and every internal boundary (``می``+stem, stem+
``ه``, ``ه``+``است``/``اند``, preverb+light verb) becomes an optional space,
which is how both ZWNJ-less and space-separated spellings match.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .text import match_form

LEXICON_DIR = Path(__file__).with_name("lexicon")

_VOWEL_END = ("ا", "و")


def _load(name: str) -> dict:
    with open(LEXICON_DIR / name, encoding="utf-8") as fh:
        return json.load(fh)


def conjugate(past: str, present: str) -> list[tuple[str, ...]]:
    """Third-person forms of a verb as tuples of morphemes.

    Past, past continuous, present perfect (with and without the auxiliary),
    past perfect, present (simple and continuous share ``می``), subjunctive
    perfect and future; singular and plural; negated past, perfect and
    present.
    """
    glide = "ی" if present.endswith(_VOWEL_END) else ""
    forms: list[tuple[str, ...]] = [
        (past,),
        (past + "ند",),
        ("می", past),
        ("می", past + "ند"),
        (past + "ه",),
        (past + "ه", "است"),
        (past + "ه", "اند"),
        (past + "ه", "بود"),
        (past + "ه", "بودند"),
        (past + "ه", "بوده", "است"),
        (past + "ه", "باشد"),
        ("می", present + glide + "د"),
        ("می", present + glide + "ند"),
        ("خواهد", past),
        ("خواهند", past),
        # negated: 'ندانست', 'نگفت', 'تکذیب نکرد' still attribute
        ("ن" + past,),
        ("ن" + past + "ند",),
        ("ن" + past + "ه", "است"),
        ("ن" + past + "ه", "اند"),
        ("نمی", present + glide + "د"),
        ("نمی", present + glide + "ند"),
    ]
    if past == "داشت":
        # 'دارد' has no 'می': 'تاکید دارد', 'حکایت دارند'
        forms += [("دارد",), ("دارند",)]
    return forms


@dataclass
class VerbCue:
    frames: frozenset[str]
    quote_only: bool
    future: bool
    claim_object: bool = False


@dataclass
class Lexicon:
    version: str
    verb_re: re.Pattern
    verb_info: dict[str, VerbCue]
    frame_re: re.Pattern
    frame_open: set[str]
    guarded_heads: tuple[str, ...]
    embedded_re: re.Pattern
    connectors_re: re.Pattern
    stop_words: frozenset[str]
    source_starts_ok: frozenset[str]
    media_heads: tuple[str, ...]
    known_outlets: frozenset[str]
    person_titles: frozenset[str]
    org_heads: frozenset[str]
    claim_nouns: tuple[str, ...]
    own_report_heads: tuple[str, ...]
    home_agencies: tuple[str, ...]
    exclusion_cues: tuple[str, ...]
    pronoun_person: frozenset[str]
    pronoun_plural: frozenset[str]
    anaphors: Anaphors
    hedge_sources: tuple[str, ...]
    hedge_phrases: tuple[str, ...]
    excl_after_re: re.Pattern
    excl_before: frozenset[str]
    non_speakers: frozenset[str]
    interview_re: re.Pattern
    object_heads: frozenset[str] = frozenset()
    doc_modifiers: frozenset[str] = frozenset()
    embedded_np: frozenset[str] = frozenset()
    #: preverbs of compounds that take a 'را' object ('تکذیب', 'تایید'): one
    #: before 'و' has lost its light verb ('X را تکذیب و از Y خبر داد')
    ra_preverbs: frozenset[str] = frozenset()
    files: dict[str, str] = field(default_factory=dict)


class Anaphors(dict):
    """Anaphor keys (space-free) to their kind. A listed anaphor followed by
    one adjective in -ی (a nationality or a relational adjective) is the same
    anaphor: 'این مقام آمریکایی', 'این خبرگزاری روسی', 'این نهاد بین‌المللی'."""

    def _base(self, k: object) -> str | None:
        if not isinstance(k, str) or not k.endswith("ی") or not k.startswith("این"):
            return None
        # (the adjective is 3 to 12 letters: only those cuts are tried)
        for n in range(len(k) - 3, max(4, len(k) - 13), -1):
            head = k[:n]
            if dict.__contains__(self, head) and not k[n:].startswith("ها"):
                return head
        return None

    def __contains__(self, k: object) -> bool:
        return dict.__contains__(self, k) or self._base(k) is not None

    def __getitem__(self, k: str) -> str:
        if dict.__contains__(self, k):
            return dict.__getitem__(self, k)
        b = self._base(k)
        if b is None:
            raise KeyError(k)
        return dict.__getitem__(self, b)

    def get(self, k, default=None):
        # (no KeyError raised and caught for the many spans that are no anaphor)
        if dict.__contains__(self, k):
            return dict.__getitem__(self, k)
        b = self._base(k)
        return default if b is None else dict.__getitem__(self, b)


_OPT = "\x00"  # stands for an optional space between morphemes


def _pattern(parts: tuple[str, ...]) -> str:
    """A form with an optional space at every morpheme or word boundary."""
    return _OPT.join(_OPT.join(match_form(p).split()) for p in parts)


def _phrase_pattern(phrase: str) -> str:
    return _OPT.join(match_form(phrase).split())


def _alt(forms: list[str], word_start: bool = False) -> str:
    """One regex for many literal forms, factored as a trie.

    Python's ``re`` tries the branches of a flat alternation one by one at
    every position; a trie-shaped pattern rejects most positions on the first
    character, which keeps cue search fast on megabytes of text. Within a
    node longer continuations come first, so the longest form wins.
    """
    trie: dict = {}
    for f in set(forms):
        node = trie
        for ch in f:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _emit(trie, word_start)


def _depth(node: dict) -> int:
    return 0 if not node else 1 + max(_depth(v) for v in node.values())


def _emit(node: dict, word_start: bool = False) -> str:
    """The regex of a trie node. With ``word_start`` (the root) each first
    character is followed by a check that no letter precedes it: a pattern
    that opens with a literal lets ``re`` skip ahead to the characters that can
    start a match, which a leading lookbehind would prevent."""
    end = "" in node
    branches = []
    for ch in sorted((c for c in node if c), key=lambda c: -_depth(node[c])):
        head = " ?" if ch == _OPT else re.escape(ch)
        if word_start:
            head += r"(?<![\w].)"
        branches.append(head + _emit(node[ch]))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if end:
        body = "(?:" + body + ")?"
    return body


def _key(s: str) -> str:
    return match_form(s).replace(" ", "")


@lru_cache(maxsize=1)
def load() -> Lexicon:
    verbs = _load("verbs.json")
    frames = _load("frames.json")
    words = _load("words.json")

    verb_info: dict[str, VerbCue] = {}
    pats: list[str] = []

    def add(parts: tuple[str, ...], frames_: list[str], quote_only: bool, claim: bool = False) -> None:
        key = _key("".join(parts))
        fut = parts[0] in ("خواهد", "خواهند") or (len(parts) > 1 and parts[1] in ("خواهد", "خواهند"))
        info = verb_info.get(key)
        if info is None:
            verb_info[key] = VerbCue(frozenset(frames_), quote_only, fut, claim)
        else:
            verb_info[key] = VerbCue(
                info.frames | frozenset(frames_),
                info.quote_only and quote_only,
                fut,
                info.claim_object and claim,
            )
        pats.append(_pattern(parts))

    for v in verbs["simple"]:
        for form in conjugate(v["past"], v["present"]):
            add(form, v["frames"], v.get("quote_only", False))
    lights = verbs["light_verbs"]
    ra_preverbs: set[str] = set()
    for v in verbs["compound"]:
        if {"ra", "ra_pred"} & set(v["frames"]):
            ra_preverbs.add(_key(v["preverb"]))
        lv = lights[v["light"]]
        for form in conjugate(lv["past"], lv["present"]):
            add((v["preverb"], *form), v["frames"], v.get("quote_only", False), v.get("claim_object", False))
    for p in verbs.get("predicates", []):
        add(tuple(p["form"].split()), p["frames"], False)

    # (the verb forms start with most letters: a leading lookbehind is faster here)
    verb_re = re.compile(r"(?<![\w])(?:" + _alt(pats) + r")(?![\w])")

    open_frames = frames["open"]
    guarded = frames["guarded"]
    frame_re = re.compile(
        r"(?:" + _alt([_phrase_pattern(f) for f in open_frames + guarded], True) + r")(?![\w])"
    )
    embedded_np = frames.get("embedded_np", [])
    embedded_re = re.compile(
        r"(?:" + _alt([_phrase_pattern(f) for f in frames["embedded"] + embedded_np], True) + r")(?![\w])"
    )
    conn = list(words["connectors"])
    connectors_re = re.compile(
        r"(?:\s*(?:" + _alt([_phrase_pattern(c) for c in conn]) + r")(?![\w])[\s،,]*)+"
    )
    interview_re = re.compile(
        r"(?<![\w])(?:" + _alt([_phrase_pattern(c) for c in words["interview_words"]]) + r")(?![\w])"
    )
    anaphors = Anaphors()
    for kind, lst in words["anaphors"].items():
        for a in lst:
            anaphors[_key(a)] = kind
    excl_after = [_phrase_pattern(x) for x in words["exclusion_after_cue"]]
    excl_after_re = re.compile(r"[ ]*(?:" + _alt(excl_after) + r")(?![\w])")

    return Lexicon(
        version=verbs["version"],
        verb_re=verb_re,
        verb_info=verb_info,
        frame_re=frame_re,
        frame_open={_key(f) for f in open_frames},
        guarded_heads=tuple(_key(h) for h in frames["guarded_heads"]),
        embedded_re=embedded_re,
        connectors_re=connectors_re,
        stop_words=frozenset(_key(w) for w in words["stop_words"]),
        source_starts_ok=frozenset(_key(w) for w in words["source_starts_ok"]),
        media_heads=tuple(_key(w) for w in words["media_heads"]),
        known_outlets=frozenset(_key(w) for w in words["known_outlets"]),
        person_titles=frozenset(_key(w) for w in words["person_titles"]),
        org_heads=frozenset(_key(w) for w in words["org_heads"]),
        claim_nouns=tuple(_key(w) for w in words["claim_nouns"]),
        own_report_heads=tuple(_key(w) for w in words["own_report_heads"]),
        home_agencies=tuple(_key(w) for w in words["home_agencies"]),
        exclusion_cues=tuple(_key(w) for w in words["exclusion_cues"]),
        pronoun_person=frozenset(_key(w) for w in words["pronouns"]["person"]),
        pronoun_plural=frozenset(_key(w) for w in words["pronouns"]["plural"]),
        anaphors=anaphors,
        hedge_sources=tuple(_key(w) for w in words["hedge_sources"]),
        hedge_phrases=tuple(_key(w) for w in words["hedge_phrases"]),
        excl_after_re=excl_after_re,
        excl_before=frozenset(_key(w) for w in words["exclusion_before_cue"]),
        non_speakers=frozenset(_key(w) for w in words["non_speakers"]),
        interview_re=interview_re,
        embedded_np=frozenset(_key(f) for f in embedded_np),
        doc_modifiers=frozenset(_key(w) for w in words.get("doc_modifiers", [])),
        object_heads=frozenset(_key(w) for w in words.get("object_heads", [])),
        ra_preverbs=frozenset(ra_preverbs),
        files={n: _load(n).get("version", "") for n in ("verbs.json", "frames.json", "words.json")},
    )


def key(s: str) -> str:
    """Space- and ZWNJ-insensitive key used for lexicon lookups."""
    return _key(s)
