"""Loading the registry into the database, terms of office, and resolution in ingestion."""

from __future__ import annotations

import bz2
import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from claims.models import Attribution, Position, Source, SourceAlias
from claims.services.articles import article_extract, article_ingest
from claims.services.errors import InvalidInput
from claims.services.registry import position_update, registry_load
from claims.services.wikidata import parse_time, wikidata_load

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
REGISTRY = FIXTURES / "registry.json"
WIKIDATA = FIXTURES / "wikidata.jsonl"


def _state() -> tuple:
    return (
        sorted(Source.objects.values_list("slug", "kind", "name_fa", "country", "parent__slug")),
        sorted(SourceAlias.objects.values_list("source__slug", "key")),
        sorted(Position.objects.values_list("office__slug", "holder__slug", "start", "end")),
    )


def test_the_shipped_registry_loads_and_loading_again_changes_nothing():
    first = registry_load()
    assert first.created == Source.objects.count() >= 142
    assert Source.objects.filter(slug="us-department-of-defense").exists()
    before = _state()
    again = registry_load()
    assert (again.created, again.updated, again.aliases_added, again.positions_created) == (0, 0, 0, 0)
    assert _state() == before


def test_terms_load_and_editors_edits_win():
    registry_load(paths=[REGISTRY])
    zarif = Position.objects.get(holder__slug="mohammad-javad-zarif")
    assert (zarif.start, zarif.end, zarif.origin) == (dt.date(2013, 8, 15), dt.date(2021, 8, 25), "registry")
    araghchi = Source.objects.get(slug="abbas-araghchi")
    araghchi.name_fa = "عباس عراقچی"  # an editor renames the entry
    araghchi.save()
    position_update(position=zarif, start=zarif.start, end=dt.date(2021, 8, 24))
    result = registry_load(paths=[REGISTRY])
    assert result.kept_editor_values == 1
    assert Source.objects.get(slug="abbas-araghchi").name_fa == "عباس عراقچی"
    zarif.refresh_from_db()
    assert (zarif.end, zarif.origin) == (dt.date(2021, 8, 24), "editor")


def test_bad_registry_file_is_refused_with_file_and_slug(tmp_path):
    bad = tmp_path / "people.json"
    bad.write_text(
        json.dumps(
            {
                "version": 1,
                "sources": [{"slug": "x", "kind": "person", "name_fa": "ایکس", "parent": "nobody"}],
            }
        ),
        "utf-8",
    )
    with pytest.raises(InvalidInput, match=r"people\.json: x: parent 'nobody'"):
        registry_load(paths=[bad])
    with pytest.raises(CommandError, match=r"people\.json"):
        call_command("load_sources", str(bad))
    assert not Source.objects.exists()


def _ingest(text: str, day: dt.date) -> list[Attribution]:
    published = timezone.make_aware(dt.datetime(day.year, day.month, day.day, 12))
    article, _ = article_ingest(text=text, published_at=published)
    article_extract(article_id=article.pk)
    return list(Attribution.objects.filter(article=article).select_related("source", "office"))


def test_an_office_resolves_to_its_holder_on_the_articles_date():
    registry_load(paths=[REGISTRY])
    text = "وزیر امور خارجه ایران در نشست خبری گفت که مذاکرات ادامه دارد. او افزود که تهران آماده است."
    for day, who in ((dt.date(2025, 2, 1), "abbas-araghchi"), (dt.date(2020, 2, 1), "mohammad-javad-zarif")):
        rows = _ingest(text.replace("نشست", f"نشست {day.year}"), day)
        assert rows and all(r.source.slug == who for r in rows), [(r.source_text, r.source) for r in rows]
        assert all(r.office.slug == "iran-minister-of-foreign-affairs" for r in rows)


def test_a_qualifier_is_never_crossed_in_ingestion():
    registry_load(paths=[REGISTRY])
    rows = _ingest("سخنگوی وزارت خارجه روسیه گفت که مسکو در مذاکرات شرکت نمی‌کند.", dt.date(2025, 3, 3))
    assert rows and all(r.source_id is None and r.office_id is None for r in rows)


def test_wikidata_entities_load_with_terms_and_resolve(tmp_path):
    result = wikidata_load(path=WIKIDATA)
    assert result.created == 5  # the office, three people and Reuters; not the country or a label-less entity
    trump = Source.objects.get(wikidata_id="Q22686")
    assert (trump.kind, trump.name_fa, trump.name_en, trump.country) == (
        "person",
        "دونالد ترامپ",
        "Donald Trump",
        "US",
    )
    assert Source.objects.get(wikidata_id="Q130879").kind == "news_agency"
    office = Source.objects.get(wikidata_id="Q11696")
    assert office.kind == "office" and office.country == "US"
    terms = sorted(Position.objects.filter(office=office).values_list("holder__wikidata_id", "start", "end"))
    assert terms == [
        ("Q22686", dt.date(2017, 1, 20), dt.date(2021, 1, 20)),
        ("Q22686", dt.date(2025, 1, 20), None),
        ("Q6279", dt.date(2021, 1, 20), dt.date(2025, 1, 20)),
        ("Q76", dt.date(2009, 1, 20), dt.date(2017, 1, 20)),
    ]
    assert "ترامپ" in set(trump.aliases.values_list("text", flat=True))
    before = _state()
    again = wikidata_load(path=WIKIDATA)
    assert (again.created, again.updated, again.aliases_added, again.positions_created) == (0, 0, 0, 0)
    assert _state() == before
    # the dump's array, compressed, through the command
    lines = WIKIDATA.read_text("utf-8").splitlines()
    dump = tmp_path / "latest-all.json.bz2"
    dump.write_bytes(bz2.compress(("[\n" + ",\n".join(lines) + "\n]\n").encode()))
    trump.name_fa = "دونالد جان ترامپ"
    trump.save()
    call_command("load_sources", wikidata=str(dump))
    assert Source.objects.get(wikidata_id="Q22686").name_fa == "دونالد جان ترامپ"  # the editor's edit wins
    assert Source.objects.count() == len(before[0])

    rows = _ingest("رئیس‌جمهوری آمریکا در کاخ سفید گفت که تعرفه‌ها باقی می‌ماند.", dt.date(2019, 6, 1))
    assert [(r.source.wikidata_id, r.office.wikidata_id) for r in rows] == [("Q22686", "Q11696")]
    rows = _ingest("رئیس‌جمهور آمریکا در کاخ سفید گفت که تعرفه‌ها باقی نمی‌ماند.", dt.date(2022, 6, 1))
    assert [r.source.wikidata_id for r in rows] == ["Q6279"]


def test_wikidata_time_precision():
    assert parse_time({"time": "+2013-08-04T00:00:00Z", "precision": 11}) == dt.date(2013, 8, 4)
    assert parse_time({"time": "+2013-08-00T00:00:00Z", "precision": 10}, end=True) == dt.date(2013, 8, 31)
    assert parse_time({"time": "+2013-00-00T00:00:00Z", "precision": 9}) == dt.date(2013, 1, 1)
    assert parse_time({"time": "+1900-00-00T00:00:00Z", "precision": 7}) is None


def test_a_broken_wikidata_line_is_refused(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"id": "Q1", "claims": {}}\n{not json\n', "utf-8")
    with pytest.raises(InvalidInput, match="line 2"):
        wikidata_load(path=bad)


def test_the_desk_card_shows_the_office_spoken_for(client, editor):
    from django.urls import reverse

    registry_load(paths=[REGISTRY])
    rows = _ingest("وزیر امور خارجه ایران در نشست خبری گفت که مذاکرات ادامه دارد.", dt.date(2025, 2, 1))
    client.force_login(editor)
    html = client.get(reverse("review:article", args=[rows[0].article_id])).content.decode()
    assert "عباس عراقچی" in html or "سید عباس عراقچی" in html
    assert "در سمت" in html and "وزیر امور خارجه ایران" in html
