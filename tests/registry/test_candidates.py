"""The unknown-source queue: junk never enters, spellings of one name are one
candidate, and creating or merging one resolves every appearance."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims.extraction.candidates import candidate_name, suggest_kind
from claims.models import Attribution, Source, SourceCandidate
from claims.services.articles import article_extract, article_ingest
from claims.services.sources import source_candidate_create, source_candidate_merge


@pytest.mark.parametrize(
    "text",
    [
        "او",
        "این مقام",
        "انجام",
        "اعلام",
        "عراق",
        "تهران",
        "آمریکا",
        "منابع آگاه",
        "ترامپ مذاکره‌کنندگان",
        "گفت",
    ],
)
def test_junk_never_becomes_a_candidate(text):
    assert candidate_name(text) is None


def test_spellings_of_one_name_share_a_key():
    keys = {candidate_name(t).key for t in ("هانیه حیدری", "هانيه حيدري", "هانیه‌حیدری", "دکتر هانیه حیدری")}
    assert len(keys) == 1
    assert candidate_name("«هانیه حیدری»").text == "هانیه حیدری"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("خبرگزاری آسوشیتدپرس", "news_agency"),
        ("روزنامه هاآرتص", "media_group"),
        ("سخنگوی وزارت خارجه مصر", "office"),
        ("وزارت کشور عراق", "government_body"),
        ("هانیه حیدری", "person"),
        ("روابط عمومی شرکت چادرملو", "organisation"),
        ("روابط‌عمومی وزارت نفت", "organisation"),
        ("حزب کارگر بریتانیا", "organisation"),
    ],
)
def test_suggested_kind(text, kind):
    assert suggest_kind(text) == kind


TEXT = "هانیه حیدری، پژوهشگر دانشگاه، گفت که بررسی‌ها ادامه دارد. هانيه حيدري همچنین گفت که بودجه کافی نیست."
# another article names her by her surname only
SURNAME = "حیدری روز دوشنبه گفت که نتایج ماه آینده اعلام می‌شود."


def _ingest_both() -> list[Attribution]:
    out = []
    for text in (TEXT, SURNAME):
        article, _ = article_ingest(text=text)
        article_extract(article_id=article.pk)
        out += list(Attribution.objects.filter(article=article))
    return out


@pytest.mark.django_db
def test_one_person_written_three_ways_is_one_candidate_and_merging_resolves_all(editor, registry):
    rows = _ingest_both()
    assert len(rows) >= 3 and all(r.source_id is None for r in rows)
    heads = SourceCandidate.objects.filter(group__isnull=True, status="open")
    assert heads.count() == 1
    head = heads.get()
    assert head.suggested_kind == "person"
    members = SourceCandidate.objects.filter(group=head)
    assert set(members.values_list("text", flat=True)) == {"حیدری"}
    assert head.occurrences + sum(m.occurrences for m in members) == len(rows)

    source = source_candidate_create(candidate=head, kind="person", actor=editor)
    assert all(r.source_id == source.pk for r in Attribution.objects.filter(pk__in=[r.pk for r in rows]))
    assert not SourceCandidate.objects.filter(status="open").exists()
    assert set(source.aliases.values_list("text", flat=True)) >= {"هانیه حیدری", "حیدری"}


@pytest.mark.django_db
def test_the_queue_page_shows_groups_and_suggestions(client, editor, registry):
    _ingest_both()
    client.force_login(editor)
    html = client.get(reverse("review:candidates")).content.decode()
    assert html.count('class="panel cand-source"') == 1
    assert "نگارش‌های دیگر" in html and "حیدری" in html
    assert 'value="person" selected' in html


@pytest.mark.django_db
def test_merging_into_an_existing_source_resolves_members(editor, registry):
    rows = _ingest_both()
    head = SourceCandidate.objects.get(group__isnull=True)
    target = Source.objects.get(slug="masoud-pezeshkian")
    source_candidate_merge(candidate=head, source=target, actor=editor)
    linked = Attribution.objects.filter(pk__in=[r.pk for r in rows]).values_list("source_id", flat=True)
    assert set(linked) == {target.pk}


@pytest.mark.django_db
def test_a_known_surname_suggests_its_person_only_under_the_same_given_name(registry):
    from claims.selectors.sources import registry_snapshot
    from claims.services.resolution import _suggested_source

    snapshot = registry_snapshot()
    pezeshkian = Source.objects.get(slug="masoud-pezeshkian")
    # the same given name, written with other vowel letters or with a middle name
    for text in ("مسعود حسین پزشکیان", "مسعد پزشکیان"):
        assert _suggested_source(candidate_name(text), snapshot) == pezeshkian.pk, text
    # another given name on the surname is another person: a son, a namesake
    for text in ("صالح پزشکیان", "علی پزشکیان"):
        assert _suggested_source(candidate_name(text), snapshot) is None, text
    # a surname alone is grouped under its full name, not suggested
    assert _suggested_source(candidate_name("پزشکیان"), snapshot) is None


@pytest.mark.django_db
def test_a_name_with_no_appearance_left_is_not_in_the_queue(registry):
    from claims.selectors.review import source_candidates

    kept = SourceCandidate.objects.create(text="هانیه حیدری", key="هانیهحیدری", occurrences=2)
    SourceCandidate.objects.create(text="مدارا", key="مدارا", occurrences=0)
    assert [c.pk for c in source_candidates()] == [kept.pk]
