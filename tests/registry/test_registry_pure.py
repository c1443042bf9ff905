"""The registry read as data and the resolution of source spans (pure Python)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from claims.extraction import extract
from claims.extraction.registry import Registry, RegistryError, read_registry

FIXTURE = Path(__file__).parent / "fixtures" / "registry.json"


@pytest.fixture(scope="module")
def reg() -> Registry:
    return Registry.from_files([FIXTURE])


def test_office_resolves_to_the_holder_on_the_date(reg):
    r = reg.resolve("وزیر امور خارجه ایران", published=dt.date(2025, 3, 1))
    assert (r.source.slug, r.office.slug) == ("abbas-araghchi", "iran-minister-of-foreign-affairs")
    r = reg.resolve("وزیر امور خارجه ایران", published=dt.date(2020, 3, 1))
    assert r.source.slug == "mohammad-javad-zarif"


def test_office_without_date_or_holder_is_the_office(reg):
    r = reg.resolve("وزیر امور خارجه ایران")
    assert r.source.slug == r.office.slug == "iran-minister-of-foreign-affairs"
    # 2022: between the terms the registry knows
    r = reg.resolve("وزیر خارجه ایران", published=dt.date(2022, 6, 1))
    assert r.source.slug == "iran-minister-of-foreign-affairs"


def test_named_person_wins_and_keeps_the_office(reg):
    r = reg.resolve("عباس عراقچی، وزیر امور خارجه جمهوری اسلامی ایران", published=dt.date(2020, 1, 1))
    assert (r.source.slug, r.office.slug) == ("abbas-araghchi", "iran-minister-of-foreign-affairs")
    r = reg.resolve("سخنگوی وزارت خارجه اسماعیل بقائی")
    assert (r.source.slug, r.office.slug) == ("esmaeil-baghaei", "iran-foreign-ministry-spokesperson")


def test_spellings_compare_equal(reg):
    for text in ("عباس عراقچي", "سید عباس عراقچی", "دکتر عراقچی", "آقای عراقچی"):
        assert reg.resolve(text).source.slug == "abbas-araghchi", text
    assert reg.resolve("سی ان ان").source.slug == "cnn"
    assert reg.resolve("سخنگوی وزارت امور خارجه").source.slug == "iran-foreign-ministry-spokesperson"


def test_a_qualifier_is_never_crossed(reg):
    assert reg.resolve("وزارت خارجه چین").source.slug == "china-foreign-ministry"
    for text in ("سخنگوی وزارت خارجه روسیه", "وزیر امور خارجه عمان", "سخنگوی وزارت خارجه طالبان"):
        assert reg.resolve(text, published=dt.date(2025, 1, 1)).source is None, text
    assert reg.resolve("وزارت خارجه ایران").source.slug == "iran-foreign-ministry"
    # the place a statement was made is not a qualifier
    assert reg.resolve("وزارت خارجه در تهران").source.slug == "iran-foreign-ministry"


def test_coordinated_sources_split_only_when_each_is_known(reg):
    text = "سی‌ان‌ان و رویترز"
    assert [text[a:b] for a, b in reg.split(text)] == ["سی‌ان‌ان", "رویترز"]
    assert reg.split("سی‌ان‌ان و یک روزنامه") is None


def test_pronoun_after_a_title_follows_the_date(reg):
    text = (
        "وزیر امور خارجه ایران روز دوشنبه در نشست خبری گفت که مذاکرات ادامه دارد. "
        "او افزود که تهران آماده است."
    )
    for year, who in ((2025, "abbas-araghchi"), (2020, "mohammad-javad-zarif")):
        found = extract(text, published=dt.date(year, 5, 1), registry=reg)
        pronoun = [a for a in found if a.source == "او"]
        assert pronoun, [a.source for a in found]
        assert pronoun[0].source_slug == who
        assert pronoun[0].office_slug == "iran-minister-of-foreign-affairs"
        assert all(a.source_slug == who for a in found)


def test_coordinated_source_in_extraction(reg):
    found = extract("سی‌ان‌ان و رویترز گزارش دادند که دو موشک به پایگاه اصابت کرد.", registry=reg)
    assert sorted(a.source_slug for a in found) == ["cnn", "reuters"]
    text = "سی‌ان‌ان و رویترز گزارش دادند که دو موشک به پایگاه اصابت کرد."
    for a in found:
        assert text[a.source_start : a.source_end] == a.source


def _write(tmp_path: Path, name: str, sources=(), positions=()) -> Path:
    p = tmp_path / name
    p.write_text(json.dumps({"version": 1, "sources": list(sources), "positions": list(positions)}), "utf-8")
    return p


def _entry(slug: str, kind: str = "person", **kw) -> dict:
    return {"slug": slug, "kind": kind, "name_fa": "نام " + slug, "aliases": [], **kw}


@pytest.mark.parametrize(
    ("sources", "positions", "message"),
    [
        ([_entry("a"), _entry("a")], [], "duplicate slug"),
        ([_entry("a", kind="planet")], [], "unknown kind"),
        ([_entry("a", parent="nobody")], [], "parent 'nobody'"),
        (
            [_entry("o", "office"), _entry("p")],
            [{"office": "o", "holder": "x", "start": "2020-01-01"}],
            "holder 'x'",
        ),
        (
            [_entry("o", "office"), _entry("p")],
            [{"office": "o", "holder": "p", "start": "2020-13-01"}],
            "not a date",
        ),
        (
            [_entry("o", "office"), _entry("p")],
            [{"office": "o", "holder": "p", "start": "2020-01-01", "end": "2019-01-01"}],
            "before start",
        ),
        (
            [_entry("o", "office"), _entry("p")],
            [{"office": "p", "holder": "o", "start": "2020-01-01"}],
            "is a person",
        ),
    ],
)
def test_bad_data_is_refused_naming_file_and_slug(tmp_path, sources, positions, message):
    path = _write(tmp_path, "bad.json", sources, positions)
    with pytest.raises(RegistryError, match=message) as exc:
        read_registry([path])
    assert "bad.json" in str(exc.value)


def test_references_resolve_across_files(tmp_path):
    a = _write(tmp_path, "a.json", [_entry("child", "government_body", parent="top")])
    b = _write(tmp_path, "b.json", [_entry("top", "government_body")])
    data = read_registry([a, b])
    assert [e["slug"] for e in data.entries] == ["child", "top"]
    with pytest.raises(RegistryError, match=r"duplicate slug \(first in a\.json\)"):
        read_registry([a, b, _write(tmp_path, "c.json", [_entry("child")])])


def test_the_shipped_registry_is_valid():
    data = read_registry()
    assert data.files[0].name == "sources.json"
    assert len(data.entries) >= 142
    reg = Registry.from_data(data)
    assert len(reg) == len(data.entries)


def test_sources_json_reads_on_its_own():
    """Tests load the seed file alone: its references stay inside it."""
    from claims.extraction.registry import SOURCES_FILE

    assert len(read_registry([SOURCES_FILE]).entries) >= 140
