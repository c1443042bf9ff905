"""Speaker resolution (pronouns, anaphors, bare surnames) and registry lookup."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .lexicon import Lexicon
from .normalize import normalize_key

_SPLIT = re.compile(r"\s*[،,؛;]\s*")
_AZJOMLE = re.compile(r"^(?:از ?جمله|ازجمله)\s+")
_WINDOW = 40
_DETERMINERS = ("یک ", "برخی ", "برخی از ", "یکی از ", "بعضی ")


@dataclass
class Mention:
    pos: int
    text: str  # matching-view text of the span
    head: str
    cat: str  # person | plural | outlet | org


def head_of(text: str) -> str:
    """The name part of a source with apposition: 'X، Y' -> 'X';
    'برخی رسانه‌ها، از جمله X' -> 'X'."""
    parts = [p for p in _SPLIT.split(text.strip()) if p]
    if not parts:
        return text.strip()
    for p in parts[1:]:
        if _AZJOMLE.match(p):
            return _AZJOMLE.sub("", p).strip(' «»"')
    return parts[0].strip(' «»"')


def category(text: str, lex: Lexicon, outlet_hint: bool = False) -> str:
    k = text.replace(" ", "")
    h = head_of(text).replace(" ", "")
    if k in lex.pronoun_person:
        return "person"
    if k in lex.pronoun_plural:
        return "plural"
    if k in lex.anaphors:
        return lex.anaphors[k]
    if h in lex.known_outlets or h.startswith(lex.media_heads) or outlet_hint:
        return "outlet"
    first = text.split()[0] if text.split() else ""
    if first.replace(" ", "") in ("منابع", "مقامات", "مقامها", "مسئولان", "کارشناسان", "برخی", "رسانهها"):
        return "plural"
    return "person"


class Resolver:
    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.mentions: list[Mention] = []

    def add(
        self, pos: int, text: str, outlet_hint: bool = False, resolved: str | None = None
    ) -> Mention | None:
        k = text.replace(" ", "")
        if k in self.lex.pronoun_person or k in self.lex.pronoun_plural or k in self.lex.anaphors:
            return None
        m = Mention(pos, text, resolved or head_of(text), category(text, self.lex, outlet_hint))
        self.mentions.append(m)
        return m

    def resolve(self, pos: int, text: str) -> str:
        """The antecedent name for a pronoun, anaphor or bare surname, else the
        head of the span itself."""
        lex = self.lex
        k = text.replace(" ", "")
        # mentions arrive in reading order; look back a bounded distance
        before = [m for m in self.mentions[-_WINDOW:] if m.pos < pos]
        if k in lex.pronoun_person:
            want: tuple[str, ...] = ("person",)
        elif k in lex.pronoun_plural:
            want = ("plural", "person", "org")
        elif k in lex.anaphors:
            kind = lex.anaphors[k]
            want = {
                "person": ("person",),
                "plural": ("plural", "person"),
                "outlet": ("outlet",),
                "org": ("org", "person", "outlet"),
            }[kind]
        else:
            words = text.split()
            if len(words) == 1:
                for m in reversed(before):
                    hw = m.head.split()
                    if len(hw) > 1 and hw[-1] == words[0]:
                        return m.head
            return head_of(text)
        for m in reversed(before):
            if m.cat in want:
                return m.head
        return head_of(text)


def registry_candidates(span_text: str, resolved: str | None, lex: Lexicon) -> list[str]:
    """Sub-phrases to try against the alias table, most specific first."""
    out: list[str] = []

    def push(s: str) -> None:
        s = s.strip(' «»"')
        if s and s not in out:
            out.append(s)

    push(span_text)
    parts = [p for p in _SPLIT.split(span_text) if p.strip()]
    for p in parts:
        push(_AZJOMLE.sub("", p))
    if resolved:
        push(resolved)
    for p in list(out):
        for d in _DETERMINERS:
            if p.startswith(d):
                push(p[len(d) :])
    for p in list(out):
        words = p.split()
        # 'خبرگزاری تسنیم' -> 'تسنیم'
        if len(words) > 1 and any(words[0].replace(" ", "").startswith(h) for h in lex.media_heads):
            push(" ".join(words[1:]))
        # 'لوید آستین وزیر دفاع' -> 'لوید آستین'
        for n in range(len(words) - 1, 1, -1):
            push(" ".join(words[:n]))
    return out


def lookup(cands: list[str], aliases: Mapping[str, int] | None) -> int | None:
    if not aliases:
        return None
    for c in cands:
        sid = aliases.get(normalize_key(c))
        if sid is not None:
            return sid
    return None
