"""Articles are named at ingest: a title from the text, a publisher from its credit or host."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from claims.models import Article
from claims.services.article_names import articles_name_backfill, infer_publisher
from claims.services.articles import article_ingest
from tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_ingest_names_an_untitled_article_and_credits_its_outlet(registry, eager) -> None:
    text = "عراقچی: با آمریکا مذاکره مستقیم نداریم\nبه گزارش ایسنا، وزیر امور خارجه گفت مذاکره‌ای در کار نیست."
    article, created = article_ingest(text=text)
    assert created
    assert article.title == "عراقچی: با آمریکا مذاکره مستقیم نداریم"
    assert article.publisher is not None and article.publisher.slug == "isna"


def test_an_editors_title_and_publisher_are_kept(registry, eager) -> None:
    bbc = SourceFactory(slug="own-outlet", kind="media_group", name_fa="رسانهٔ خودی")
    article, _ = article_ingest(
        text="به گزارش ایسنا، وزیر امور خارجه گفت مذاکره‌ای در کار نیست.", title="عنوان دبیر", publisher=bbc
    )
    assert (article.title, article.publisher_id) == ("عنوان دبیر", bbc.pk)


def test_the_host_names_the_publisher_when_the_text_does_not(registry) -> None:
    text = "وزیر امور خارجه گفت مذاکره‌ای در کار نیست."
    assert infer_publisher(text=text, url="https://www.bbc.com/persian/articles/c1").slug == "bbc-persian"
    assert infer_publisher(text=text, url="https://www.bbc.com/news/world-1").slug == "bbc"
    assert infer_publisher(text=text, url="https://isna.ir/news/1").slug == "isna"
    assert infer_publisher(text=text, url="https://example.org/x") is None
    assert infer_publisher(text=text) is None


def test_only_outlets_are_publishers(registry) -> None:
    # A person credited in the opening line ("عراقچی:") is a speaker, not the publisher.
    assert infer_publisher(text="عراقچی: با آمریکا مذاکره مستقیم نداریم\nمتن خبر") is None


def test_the_text_credit_wins_over_the_host(registry) -> None:
    # A syndicated copy on another site names its origin.
    found = infer_publisher(text="به گزارش ایرنا، وزیر گفت ...", url="https://www.isna.ir/news/2")
    assert found.slug == "irna"


def test_backfill_names_stored_articles_and_is_idempotent(registry) -> None:
    named = ArticleFactory(title="عنوان دبیر", text="به گزارش ایسنا، وزیر گفت ...")
    bare = ArticleFactory(title="", text="خبر فوری\nسقوط هواپیما در مهرآباد\nبه گزارش ایرنا، ...")
    hosted = ArticleFactory(title="", url="https://www.isna.ir/news/9", text="وزیر گفت که می‌آید.")
    result = articles_name_backfill(batch_size=1)
    bare.refresh_from_db()
    hosted.refresh_from_db()
    named.refresh_from_db()
    assert bare.title == "سقوط هواپیما در مهرآباد" and bare.publisher.slug == "irna"
    assert hosted.title == "وزیر گفت که می‌آید." and hosted.publisher.slug == "isna"
    assert named.title == "عنوان دبیر"
    assert result.titled == 2 and result.published >= 2
    again = articles_name_backfill()
    assert again.titled == 0 and again.published == 0
    assert not Article.objects.filter(title="").exists()


def test_name_articles_command(registry, capsys) -> None:
    ArticleFactory(title="", publisher=None, text="سقوط هواپیما در مهرآباد\nبه گزارش ایرنا، ...")
    call_command("name_articles", "--dry-run")
    assert Article.objects.filter(title="").count() == 1
    call_command("name_articles")
    assert not Article.objects.filter(title="").exists()
    assert "named 1 titles" in capsys.readouterr().out


def test_lists_show_an_excerpt_without_loading_the_text(django_assert_num_queries) -> None:
    from claims.selectors.review import InboxFilters, inbox_articles
    from claims.templatetags.articles import excerpt
    from tests.factories import AttributionFactory

    text = "سقوط هواپیما\nسخنگوی وزارت خارجه گفت که گفتگوها ادامه دارد."
    article = ArticleFactory(title="سقوط هواپیما", text=text)
    AttributionFactory(article=article)
    with django_assert_num_queries(1):
        rows = list(inbox_articles(InboxFilters()))
        shown = [excerpt(a) for a in rows]
    assert shown == ["سخنگوی وزارت خارجه گفت که گفتگوها ادامه دارد."]


def test_a_credit_names_an_outlet_registered_under_a_longer_name(registry) -> None:
    # "به گزارش آنا" credits the agency registered as "خبرگزاری آنا".
    from claims.models import SourceAlias
    from claims.services.article_names import outlet_name_forms

    alias = SourceAlias.objects.filter(source__kind="news_agency", text__startswith="خبرگزاری ").first()
    short = alias.text.removeprefix("خبرگزاری ").strip()
    assert "خبرگزاری " + short in outlet_name_forms(short)
    found = infer_publisher(text=f"تیتر خبر\nبه گزارش خبرنگار {short}؛ وزیر گفت کار ادامه دارد.")
    assert found is not None and found.pk == alias.source_id


def test_an_upload_names_the_publisher_of_rows_without_one(registry, eager, editor) -> None:
    import json

    from claims.models import IngestJob, Source
    from claims.services.ingest_jobs import ingest_job_process, ingest_job_start, parse_upload

    outlet = Source.objects.get(slug="isna")
    own = Source.objects.get(slug="irna")
    rows = [
        {"text": "وزیر امور خارجه گفت که مذاکره‌ای در کار نیست و گفت‌وگوها ادامه دارد."},
        {"text": "رئیس بانک مرکزی گفت نرخ سود تغییر نمی‌کند.", "publisher": "irna"},
    ]
    data = "\n".join(json.dumps(r, ensure_ascii=False) for r in rows).encode()
    job = ingest_job_start(
        filename="batch.jsonl",
        records=parse_upload(filename="batch.jsonl", data=data),
        actor=editor,
        publisher=outlet,
    )
    ingest_job_process(job_id=job.pk)
    assert IngestJob.objects.get(pk=job.pk).new == 2
    by_text = {a.text[:10]: a.publisher_id for a in Article.objects.filter(job=job)}
    assert sorted(by_text.values()) == sorted([outlet.pk, own.pk])


def test_an_upload_refuses_a_publisher_that_is_not_an_outlet(registry, editor) -> None:
    from claims.models import Source
    from claims.services.errors import InvalidInput
    from claims.services.ingest_jobs import ingest_job_start, parse_upload

    person = Source.objects.filter(kind="person").first()
    with pytest.raises(InvalidInput):
        ingest_job_start(
            filename="a.jsonl",
            records=parse_upload(filename="a.jsonl", data=b'{"text": "x y"}'),
            actor=editor,
            publisher=person,
        )
