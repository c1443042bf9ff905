"""The unknown-source queue built from every labelled gold text, as the
``unknown_sources`` command builds it: its top 50 holds names an editor can work
through, never a verb, a bare place, a span run on into the sentence or the same
person twice."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import call_command

from claims.extraction.candidates import is_verb
from claims.extraction.names import country_at
from claims.extraction.normalize import normalize_key
from claims.extraction.registry import default_registry
from claims.models import SourceCandidate
from claims.selectors.review import source_candidates
from claims.services.registry import registry_load
from tests.registry.speakers import FILES, GOLD

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not (GOLD / "dev.jsonl").exists(), reason=f"gold files not found in {GOLD}"),
]

# Cities the gold texts write as where things happened.
CITIES = {
    normalize_key(w) for w in ("تهران", "بغداد", "واشنگتن", "مسکو", "بیروت", "کابل", "دمشق", "غزه", "هرات")
}
# Words a name never ends with: the span ran on into the sentence.
RUN_ON = {
    normalize_key(w) for w in ("همواره", "نیز", "هم", "در", "با", "به", "از", "که", "را", "روز", "امروز")
}
# Junk these files are known to produce as source spans (hand-checked): none of it is a name.
JUNK = {
    normalize_key(w).replace(" ", "")
    for w in (
        "انجام",
        "اعلام",
        "عراق",
        "آمریکا",
        "اسرائیل",
        "آمریکاییها همواره",
        "اسرائیل همواره",
        "پورمند تمایلی",
        "یکی از زندان های بلژیک",
        "شهر هممرز",
        "رسانه‌های",
        "سرشماری",
        "سند آمایش سرزمین",
        "منتقدان",
        "کارگران",
        "او دو سه",
    )
}


def _top(n: int) -> list[SourceCandidate]:
    return list(source_candidates()[:n])


def test_the_queue_from_the_gold_texts_is_names_an_editor_can_work_through(monkeypatch):
    # Grouping copies and statements after each extraction has nothing to do with the
    # queue and is most of the time a hundred articles take: it is left out here.
    monkeypatch.setattr("claims.services.articles._group_after_extraction", lambda article: None)
    registry_load()
    out = io.StringIO()
    call_command("unknown_sources", *(str(GOLD / f"{name}.jsonl") for name in FILES), top=50, stdout=out)
    top = _top(50)
    assert len(top) >= 20
    assert len(out.getvalue().splitlines()) == len(top)

    every_key = set(SourceCandidate.objects.values_list("key", flat=True))
    assert not every_key & JUNK, every_key & JUNK

    people: dict[str, str] = {}
    registry = default_registry()
    for card in top:
        words = normalize_key(card.text).split()
        assert not is_verb(words[-1]), card.text
        assert (country_at(words, 0) or ("", 0))[1] != len(words), card.text
        assert " ".join(words) not in CITIES, card.text
        assert words[-1] not in RUN_ON, card.text
        assert not re.search(r"[«»\"]", card.text), card.text
        if card.suggested_kind == "person":
            # the same person twice: two cards ending with one surname, or one the
            # registry already knows by another spelling without suggesting it
            surname = words[-1]
            assert surname not in people, (card.text, people.get(surname))
            people[surname] = card.text
            known = registry.spelled_like(card.text)
            if known is not None and len(words) > 1:
                assert card.suggested_source_id is not None and card.suggested_source.slug == known.slug


def test_the_command_ingests_a_file_and_prints_json_rows(registry, tmp_path):
    path = tmp_path / "texts.jsonl"
    text = "هانیه حیدری، پژوهشگر دانشگاه، گفت که بررسی‌ها ادامه دارد. حیدری افزود که بودجه کافی نیست."
    path.write_text(json.dumps({"text": text, "published": "2024-05-01"}, ensure_ascii=False) + "\n")
    out = io.StringIO()
    call_command("unknown_sources", str(path), top=5, as_json=True, stdout=out, stderr=io.StringIO())
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows[0]["text"] == "هانیه حیدری" and rows[0]["appearances"] == 2
    assert rows[0]["suggested_kind"] == "person"


def test_the_command_refuses_an_empty_registry_and_a_bad_file(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="load_sources"):
        call_command("unknown_sources", stdout=io.StringIO())
    registry_load()
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "no text"}\n')
    with pytest.raises(CommandError, match=r"bad\.jsonl:1"):
        call_command("unknown_sources", str(bad), stdout=io.StringIO())
