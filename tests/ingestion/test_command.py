"""``manage.py ingest``: files, directories, JSONL, stdin and URLs, with a summary."""

from __future__ import annotations

import io
import json
import sys

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from claims.models import Article, ArticleState, Attribution

from .helpers import gold_texts

TASNIM = "خبرگزاری تسنیم"

pytestmark = pytest.mark.django_db

# The command commits each article, so extraction runs on commit as it does for
# real: these tests need real transactions.
committing = pytest.mark.django_db(transaction=True)


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("ingest", *args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _summary(out: str) -> dict[str, int]:
    first = out.splitlines()[0]
    parts = first.replace(":", "").split()
    return {parts[i]: int(parts[i + 1]) for i in range(0, len(parts), 2)}


@committing
def test_jsonl_then_again_counts_new_duplicate_and_attributions(tmp_path, eager, registry):
    rows = gold_texts(6)
    batch = tmp_path / "batch.jsonl"
    lines = [
        json.dumps(
            {"text": r["text"], "title": f"خبر {n}", "publisher": TASNIM, "published": "2026-05-02"},
            ensure_ascii=False,
        )
        for n, r in enumerate(rows)
    ]
    batch.write_text("\n".join([*lines, "", "{not json", '"a string"']) + "\n", encoding="utf-8")
    out, err = _run(str(batch))
    summary = _summary(out)
    assert summary["new"] == len(rows) and summary["duplicate"] == 0 and summary["failed"] == 2
    assert summary["attributions"] == Attribution.objects.count() > 0
    assert "batch.jsonl:" in err and "JSON" in err
    article = Article.objects.get(title="خبر 0")
    assert article.publisher.slug == "tasnim-news-agency"
    # A bare date is midnight in the desk's time zone.
    assert timezone.localtime(article.published_at).date().isoformat() == "2026-05-02"
    assert set(Article.objects.values_list("state", flat=True)) == {ArticleState.DONE}

    out, _ = _run(str(batch))
    again = _summary(out)
    assert again["new"] == 0 and again["duplicate"] == len(rows)
    assert Article.objects.count() == len(rows)


@committing
def test_directory_of_files_with_bad_ones(tmp_path, eager, registry):
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    text = gold_texts(1)[0]["text"]
    (folder / "good.txt").write_text(text, encoding="utf-8")
    (folder / "sub" / "html.txt").write_text(
        "<script>alert('x')</script><p>" + gold_texts(2)[1]["text"] + "</p>", encoding="utf-8"
    )
    (folder / "latin1.txt").write_bytes("café au lait".encode("latin-1") + b"\xff\xfe")
    (folder / "image.bin").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)) * 4)
    (folder / "empty.txt").write_text("   \n\n ", encoding="utf-8")
    (folder / ".hidden.txt").write_text(text + " hidden", encoding="utf-8")
    out, err = _run(str(folder))
    summary = _summary(out)
    assert summary["new"] == 2 and summary["failed"] == 3
    assert "latin1.txt" in err and "UTF-8" in err
    assert "image.bin" in err and "دودویی" in err
    assert "empty.txt" in err and "خالی" in err
    stored = Article.objects.get(text__startswith="<script>")
    assert stored.text.startswith("<script>alert('x')</script>")


@committing
def test_stdin_text_and_jsonl(monkeypatch, eager, registry):
    text = gold_texts(1)[0]["text"]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
    out, _ = _run("-")
    assert _summary(out)["new"] == 1
    payload = json.dumps({"text": "۲\n" + text}, ensure_ascii=False) + "\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(payload.encode("utf-8"))))
    out, _ = _run("-")
    assert _summary(out)["new"] == 1
    assert Article.objects.count() == 2


def test_too_large_file_is_refused_with_the_limit(tmp_path, settings):
    settings.INGEST_MAX_CHARS = 1000
    big = tmp_path / "big.txt"
    big.write_text("خبر " * 2000, encoding="utf-8")
    out, err = _run(str(big))
    assert _summary(out)["failed"] == 1
    assert "1,000" in err
    assert not Article.objects.exists()


@committing
def test_url_ingest(http_server, eager, registry):
    body = gold_texts(3)[2]["text"].replace("\n", "</p><p>")
    page = f"<html><head><title>گزارش</title></head><body><p>{body}</p></body></html>"
    url = http_server.add("/story", page)
    out, _ = _run("--url", url)
    assert _summary(out)["new"] == 1
    article = Article.objects.get()
    assert article.url == url and article.origin == Article.Origin.URL and article.title == "گزارش"


def test_nothing_to_do_is_an_error():
    with pytest.raises(CommandError):
        call_command("ingest")


def test_unknown_publisher_is_an_error(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("سخنگو گفت که همه چیز آرام است.", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("ingest", str(path), "--publisher", "no-such-outlet")
