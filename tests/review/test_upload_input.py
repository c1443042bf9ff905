"""Bad rows in a desk upload: each is that row's Persian error, the upload itself goes in
(it crashed on deep JSON, and a NUL in a row was a DataError on the JSONB rows)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from claims import models as m

pytestmark = pytest.mark.django_db

GOOD = "سخنگوی دولت گفت که بودجهٔ سال آینده تصویب شد و اجرا می‌شود."


def test_bad_rows_in_an_upload_are_row_errors(editor, eager, django_capture_on_commit_callbacks):
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    lines = [
        json.dumps({"text": GOOD, "title": "خوب"}),  # 1
        "[" * 100_000 + "]" * 100_000,  # 2
        json.dumps({"text": "وزیر گفت که همه چیز آرام است.\x00"}),  # 3
        json.dumps({"text": 123}),  # 4
        json.dumps({"text": ["a"]}),  # 5
        json.dumps({"text": GOOD + " دیگر", "url": 5}),  # 6
        json.dumps({"text": GOOD + " سه", "title": "عنوان\x00"}),  # 7
        json.dumps({"text": "سخنگوی وزارت گفت که گفتگوها ادامه دارد.", "title": "دوم"}),  # 8
    ]
    upload = SimpleUploadedFile("rows.jsonl", "\n".join(lines).encode(), content_type="application/json")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("review:ingest_upload"), {"file": upload})
    assert response.status_code == 302, response.content[:300]
    job = m.IngestJob.objects.get()
    job.refresh_from_db()
    assert (job.new, job.failed, job.state) == (2, 6, "done")
    errors = {e["line"]: e["error"] for e in job.errors}
    assert sorted(errors) == [2, 3, 4, 5, 6, 7]
    assert "لایه" in errors[2] and "NUL" in errors[3] and "رشته" in errors[4] and "url" in errors[6]
    assert sorted(m.Article.objects.values_list("title", flat=True)) == ["خوب", "دوم"]


def test_a_plain_text_upload_with_a_nul_anywhere_is_refused(editor):
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    data = (GOOD * 400 + "\x00" + GOOD).encode()
    upload = SimpleUploadedFile("a.txt", data, content_type="text/plain")
    response = client.post(reverse("review:ingest_upload"), {"file": upload}, follow=True)
    assert response.status_code < 500
    assert "دودویی" in response.content.decode()
    assert not m.IngestJob.objects.exists() and not m.Article.objects.exists()
