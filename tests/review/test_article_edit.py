"""Editors correct an article's title and publisher (inferred at ingest) on the desk."""

from __future__ import annotations

import pytest
from django.urls import reverse

from claims import models as m
from claims.services.article_names import article_names_set
from claims.services.errors import InvalidInput, NotPermitted
from tests.factories import ArticleFactory, AttributionFactory, PublishedClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def outlet():
    return SourceFactory(kind=m.SourceKind.NEWS_AGENCY, name_fa="خبرگزاری آزمایشی")


def test_service_sets_title_publisher_and_the_search_key(editor, outlet):
    article = ArticleFactory(title="بی‌ربط", publisher=None)
    article_names_set(article=article, title="  عنوان   درست  ", publisher=outlet, actor=editor)
    article.refresh_from_db()
    assert article.title == "عنوان درست"
    assert article.publisher_id == outlet.pk
    assert "عنوان درست" in article.search_key


def test_service_clears_the_publisher(editor, outlet):
    article = ArticleFactory(publisher=outlet)
    article_names_set(article=article, title=article.title, publisher=None, actor=editor)
    article.refresh_from_db()
    assert article.publisher_id is None


@pytest.mark.parametrize("title", ["", "   ", "الف\x00ب", "ا" * 501])
def test_service_refuses_a_bad_title(editor, title):
    article = ArticleFactory(title="اصلی")
    with pytest.raises(InvalidInput):
        article_names_set(article=article, title=title, publisher=None, actor=editor)
    article.refresh_from_db()
    assert article.title == "اصلی"


def test_service_refuses_a_publisher_that_is_not_an_outlet(editor):
    person = SourceFactory(kind=m.SourceKind.PERSON)
    article = ArticleFactory()
    with pytest.raises(InvalidInput):
        article_names_set(article=article, title="عنوان", publisher=person, actor=editor)


def test_only_a_senior_editor_renames_an_article_quoted_on_a_published_claim(editor, senior, outlet):
    article = ArticleFactory(title="قدیمی")
    claim = PublishedClaimFactory()
    AttributionFactory(article=article, claim=claim, review_state=m.ReviewState.ACCEPTED)
    with pytest.raises(NotPermitted):
        article_names_set(article=article, title="تازه", publisher=outlet, actor=editor)
    article_names_set(article=article, title="تازه", publisher=outlet, actor=senior)
    article.refresh_from_db()
    assert article.title == "تازه"


def test_service_needs_the_permission(plain_user):
    article = ArticleFactory(title="اصلی")
    with pytest.raises(NotPermitted):
        article_names_set(article=article, title="تازه", publisher=None, actor=plain_user)


def test_edit_page_saves_and_returns_to_the_article(client, editor, outlet):
    article = ArticleFactory(title="بی‌عنوان", publisher=None)
    client.force_login(editor)
    url = reverse("review:article_edit", args=[article.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert f'<option value="{outlet.pk}"' in page.content.decode()
    response = client.post(url, {"title": "عنوان ویراسته", "publisher": str(outlet.pk)})
    assert response.status_code == 302
    assert response["Location"] == reverse("review:article", args=[article.pk])
    article.refresh_from_db()
    assert (article.title, article.publisher_id) == ("عنوان ویراسته", outlet.pk)
    review = client.get(response["Location"]).content.decode()
    assert "عنوان ویراسته" in review and outlet.name_fa in review


def test_edit_page_shows_a_persian_error_and_keeps_the_values(client, editor):
    article = ArticleFactory(title="اصلی")
    client.force_login(editor)
    response = client.post(reverse("review:article_edit", args=[article.pk]), {"title": " ", "publisher": ""})
    assert response.status_code == 422
    assert "عنوان خبر خالی است." in response.content.decode()
    response = client.post(
        reverse("review:article_edit", args=[article.pk]), {"title": "الف", "publisher": "999999"}
    )
    assert response.status_code == 422
    assert "ناشری با این شناسه" in response.content.decode()
    article.refresh_from_db()
    assert article.title == "اصلی"
