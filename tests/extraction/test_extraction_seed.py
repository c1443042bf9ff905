"""The design's seed report: all 14 attributions, pronoun resolution and
registry ids through the platform's alias table."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from claims.extraction import Attribution, extract, normalize_key
from claims.extraction.evaluate import score_doc

GOLD = Path("/work/shared/gold")
pytestmark = pytest.mark.skipif(not (GOLD / "seed.jsonl").exists(), reason="gold files not present")

ALIASES_BY_ID = {
    1: ["پنتاگون", "وزارت دفاع آمریکا", "وزارت دفاع ایالات متحده"],
    2: ["لوید آستین", "وزیر دفاع ایالات متحده", "وزیر دفاع آمریکا"],
    3: ["سنتکام", "فرماندهی مرکزی ایالات متحده", "فرماندهی مرکزی آمریکا"],
    4: ["قاسم الاعرجی", "مشاور امنیت ملی عراق"],
    5: ["خبرگزاری فرانسه", "فرانس پرس"],
    6: ["خبرگزاری تسنیم", "تسنیم"],
}
ALIASES = {normalize_key(a): sid for sid, names in ALIASES_BY_ID.items() for a in names}


@pytest.fixture(scope="module")
def seed() -> dict:
    return json.loads((GOLD / "seed.jsonl").read_text(encoding="utf-8").splitlines()[0])


@pytest.fixture(scope="module")
def found(seed: dict) -> list[Attribution]:
    return extract(seed["text"], published=dt.date.fromisoformat(seed["published"]), aliases=ALIASES)


def test_all_fourteen_found(seed: dict, found: list[Attribution]) -> None:
    preds = [a.to_dict() for a in found]
    full, _ = score_doc(preds, seed["attributions"])
    matched_gold = {j for _, j, _ in full}
    missing = [seed["attributions"][j]["content"][:60] for j in range(14) if j not in matched_gold]
    assert not missing, missing


def test_pronoun_resolves_to_austin(found: list[Attribution]) -> None:
    pron = [a for a in found if a.source == "او"]
    assert len(pron) == 2
    assert {a.source_resolved for a in pron} == {"لوید آستین"}
    assert {a.source_id for a in pron} == {2}


def test_registry_ids(found: list[Attribution]) -> None:
    by_source = {}
    for a in found:
        by_source.setdefault(a.source, set()).add(a.source_id)
    assert by_source["پنتاگون"] == {1}
    assert by_source["سنتکام"] == {3}
    assert by_source["خبرگزاری تسنیم"] == {6}
    assert by_source["وزیر دفاع ایالات متحده"] == {2}
    assert by_source["قاسم الاعرجی، مشاور امنیت ملی عراق"] == {4}
    afp = [a for a in found if "خبرگزاری فرانسه" in a.source]
    assert afp and afp[0].source_id == 5
    centcom_frame = [a for a in found if a.cue == "بنابر اعلام" and "فرماندهی مرکزی" in a.source]
    assert centcom_frame and centcom_frame[0].source_id == 3


def test_offsets_slice_to_spans(seed: dict, found: list[Attribution]) -> None:
    text = seed["text"]
    for a in found:
        assert text[a.source_start : a.source_end] == a.source
        assert text[a.cue_start : a.cue_end] == a.cue
        assert text[a.content_start : a.content_end] == a.content
        for q in a.quantities:
            assert text[q.start : q.end] == q.text
        for d in a.dates:
            assert text[d.start : d.end] == d.text


def test_kinds_quantities_dates(found: list[Attribution]) -> None:
    austin = next(a for a in found if a.cue == "تصریح کرد")
    assert austin.kind == "direct"
    assert any(d.iso == "2024-01-24" for d in austin.dates)  # چهارشنبه چهارم بهمن
    alarji = next(a for a in found if a.cue == "خواند")
    assert alarji.kind == "mixed"
    assert alarji.content == "حملات آمریکا را «نقض آشکار حاکمیت» این کشور"
    pentagon = next(a for a in found if a.source == "پنتاگون")
    assert pentagon.kind == "according_to"
    q = {(x.value, x.unit, x.qualifier) for x in pentagon.quantities}
    assert (58.0, "حمله", "at_least") in q
    assert (83.0, "حمله", None) in q
    afp = next(a for a in found if "خبرگزاری فرانسه" in a.source)
    assert (17.0, "موشک", None) in {(x.value, x.unit, x.qualifier) for x in afp.quantities}
    assert afp.hedged is False or afp.hedged is True  # a plain bool


def test_not_attributions(found: list[Attribution]) -> None:
    contents = " ".join(a.content for a in found)
    assert "واکنشی به این خبر" not in contents  # what the Pentagon did not do
    assert "۲۵۰۰ نیرو" not in contents  # the writer's own statement
    assert all(isinstance(a.to_dict(), dict) for a in found)
    json.dumps([a.to_dict() for a in found], ensure_ascii=False)
