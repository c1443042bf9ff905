"""Bench-only URLconf: the product's addresses plus a trivial view (bench/bench_public.py)."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial),
    path("", include("factcheck.urls")),
]
