"""The shipped source registry and ZWNJ/bidi-insensitive alias resolution."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from claims.extraction.normalize import normalize_key
from claims.models import Source, SourceAlias
from claims.selectors.sources import alias_table
from claims.services.sources import source_alias_add, sources_load
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def _resolve(text: str) -> Source:
    return Source.objects.get(pk=alias_table()[normalize_key(text)])


def test_zwnj_and_bidi_variants_resolve_to_the_same_entry(registry):
    assert _resolve("حزب‌الله") == _resolve("حزبالله")
    assert _resolve("سنت\u200fکام") == _resolve("سنتکام") == _resolve("فرماندهی مرکزی ایالات متحده")
    assert _resolve("\u202bخبرگزاری تسنیم\u202c") == _resolve("تسنيم")  # bidi embedding, Arabic yeh


def test_seed_entries_and_their_links(registry):
    austin = _resolve("لوید آستین")
    # a title is an office's, not a person's alias: the article's date decides who held it
    austin_keys = {key for key, pk in alias_table().items() if pk == austin.pk}
    assert not {normalize_key("وزیر دفاع ایالات متحده"), normalize_key("وزیر دفاع آمریکا")} & austin_keys
    dod = _resolve("پنتاگون")
    assert austin.parent == dod
    assert _resolve("وزارت دفاع آمریکا") == dod
    assert _resolve("سنتکام").parent == dod
    adviser = _resolve("مشاور امنیت ملی عراق")
    assert adviser.kind == "office" and _resolve("قاسم الاعرجی").parent == adviser
    assert _resolve("فرانس پرس") == _resolve("خبرگزاری فرانسه")
    tasnim = _resolve("تسنیم")
    assert tasnim.affiliation == _resolve("سپاه پاسداران")
    for outlet in ["ایرنا", "ایسنا", "خبرگزاری فارس", "خبرگزاری مهر", "رویترز", "سی‌ان‌ان", "بی‌بی‌سی فارسی"]:
        assert normalize_key(outlet) in alias_table(), outlet


def test_loading_twice_changes_nothing_and_keeps_editor_aliases(registry):
    before = (Source.objects.count(), SourceAlias.objects.count())
    dod = _resolve("پنتاگون")
    source_alias_add(source=dod, text="وزارت دفاع امریکا")
    created, added = sources_load()
    assert created == 0 and added == 0
    assert (Source.objects.count(), SourceAlias.objects.count()) == (before[0], before[1] + 1)
    assert _resolve("وزارت دفاع امریکا") == dod


def test_alias_key_is_unique_per_source():
    source = SourceFactory()
    SourceAlias.objects.create(source=source, text="حزب‌الله")
    assert source_alias_add(source=source, text="حزبالله").text == "حزب‌الله"  # same key: returned, not added
    with pytest.raises(IntegrityError):
        SourceAlias.objects.create(source=source, text="حزب الله".replace(" ", ""))
