from django.shortcuts import render

from claims.selectors.claims import published_claims


def home(request):
    return render(request, "public/home.html", {"claims": published_claims()[:20]})
