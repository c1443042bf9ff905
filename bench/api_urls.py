"""Bench-only URLconf: the product's addresses plus a trivial JSON view (bench/bench_api.py)."""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path


def trivial(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/trivial/", trivial),
    path("", include("factcheck.urls")),
]
