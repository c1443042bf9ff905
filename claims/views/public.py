"""Public pages: what readers and search engines see.

Only published and corrected claims are reachable; everything else is a 404.
All reads go through claims.selectors.public, and rendered pages are cached by
claims.cache (each invalidated by what it shows: its claim, its source, the lists)."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

import jdatetime
from django import forms
from django.core.paginator import Paginator
from django.forms.utils import flatatt
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from claims.cache import LISTS, claim_page_tags, public_cache, public_data, source_page_tags
from claims.claimreview import claim_url, claimreview_for, web_url
from claims.models import Attribution, Claim, ClaimEvent, ClaimStatus, Rating, Source
from claims.models.claims import PUBLIC_STATUSES, RATING_EXPLANATIONS
from claims.selectors.claims import published_claims
from claims.selectors.public import (
    APPEARANCES_PER_PAGE,
    QUOTE_CONTEXT_CHARS,
    attach_card_sources,
    claim_appearances,
    outlets_with_public_claims,
    public_claim,
    public_claim_search,
    public_source,
    public_speakers_matching,
    source_public_claims,
    source_track_record,
    sources_with_public_claims,
)
from claims.selectors.statements import public_statements
from claims.site import site_url
from claims.templatetags.fa import fa_digits

PAGE_SIZE = 20
SOURCE_PAGE_SIZE = 20
STATEMENTS_PAGE_SIZE = 20
# Longest stretch of article text shown on either side of a quote.
CONTEXT_CHARS = QUOTE_CONTEXT_CHARS
_SENTENCE_END = re.compile(r"[.!?؟\n]")
_TO_ASCII = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


# --- helpers ------------------------------------------------------------------


def quote_in_sentence(text: str, start: int, end: int, *, more_before: bool = False) -> tuple[str, str, str]:
    """Split ``text`` into (before, quote, after) where before/after extend the
    quote ``text[start:end]`` to the bounds of its sentence(s), at most
    CONTEXT_CHARS each way, cut with an ellipsis when the sentence goes on.
    ``more_before`` says ``text`` is itself a stretch from further into the article.
    Plain strings: the template escapes them."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    left_limit = max(0, start - CONTEXT_CHARS)
    left = start
    while left > left_limit and not _SENTENCE_END.match(text[left - 1]):
        left -= 1
    cut_left = (
        left == left_limit
        and (left > 0 or more_before)
        and not (left > 0 and _SENTENCE_END.match(text[left - 1]))
    )
    right_limit = min(len(text), end + CONTEXT_CHARS)
    right = end
    while right < right_limit and not _SENTENCE_END.match(text[right]):
        right += 1
    cut_right = right == right_limit and right < len(text) and not _SENTENCE_END.match(text[right])
    if right < len(text) and _SENTENCE_END.match(text[right]) and text[right] != "\n":
        right += 1  # keep the sentence's own full stop
    before = text[left:start].lstrip()
    after = text[end:right].rstrip()
    # A cut stretch starts and ends on whole words.
    if cut_left:
        before = "… " + (before.split(maxsplit=1)[1] if len(before.split(maxsplit=1)) > 1 else before)
    if cut_right:
        after = (after.rsplit(maxsplit=1)[0] if len(after.rsplit(maxsplit=1)) > 1 else after) + " …"
    return before, text[start:end], after


def ld_json(data: Any) -> SafeString:
    """JSON for a <script type="application/ld+json"> element. ``<``, ``>`` and
    ``&`` are written as \\u escapes, so text such as ``</script>`` inside a claim
    cannot close the element (the same escaping as Django's json_script)."""
    raw = json.dumps(data, ensure_ascii=False, indent=1)
    raw = raw.translate({ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"})
    return mark_safe(raw)  # noqa: S308 - escaped above


def rating_label(value: str) -> str:
    return str(Rating(value).label) if value in Rating.values else ""


@dataclass(frozen=True)
class Appearance:
    attribution: Attribution
    before: str
    quote: str
    after: str
    date: dt.datetime | None
    url: str  # the article's address, only when it is http(s)


def appearances_of(attributions: list[Attribution]) -> list[Appearance]:
    items = []
    for attribution in attributions:
        # The selector loads only a window of the article around the quote.
        text, offset = attribution.context_text or "", attribution.context_start
        start, end = attribution.content_start - offset, attribution.content_end - offset
        if text[start:end] == attribution.content_text:
            before, quote, after = quote_in_sentence(text, start, end, more_before=offset > 0)
        else:
            # Offsets no longer match the text (hand-edited span): show the quote alone.
            before, quote, after = "", attribution.content_text, ""
        date = attribution.article.published_at or attribution.article.ingested_at
        items.append(Appearance(attribution, before, quote, after, date, web_url(attribution.article.url)))
    return items


@dataclass(frozen=True)
class Bar:
    rating: str
    label: str
    count: int
    count_fa: str
    y: int
    width: int
    x: int
    text_x: int


CHART_WIDTH = 640
CHART_LABEL_WIDTH = 190
CHART_ROW = 40
CHART_BAR = 26


def track_chart(record: dict[str, int]) -> dict[str, Any]:
    """Geometry of the right-to-left bar chart (labels at the right, bars growing
    leftwards), computed here so the page needs no JavaScript."""
    top = max(record.values(), default=0) or 1
    room = CHART_WIDTH - CHART_LABEL_WIDTH - 60  # space for the count beside the longest bar
    right = CHART_WIDTH - CHART_LABEL_WIDTH
    bars = []
    for i, (rating, count) in enumerate(record.items()):
        width = round(room * count / top) if count else 0
        x = right - width
        bars.append(
            Bar(
                rating=rating,
                label=rating_label(rating),
                count=count,
                count_fa=fa_digits(count),
                y=i * CHART_ROW + (CHART_ROW - CHART_BAR) // 2,
                width=max(width, 2) if count else 0,
                x=x if count else right,
                text_x=x - 8,
            )
        )
    total = sum(record.values())
    summary = "، ".join(f"{b.label}: {b.count_fa}" for b in bars)
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": CHART_ROW * len(bars),
        "label_x": CHART_WIDTH - 6,
        "bar_height": CHART_BAR,
        "total": total,
        "total_fa": fa_digits(total),
        "summary": summary,
    }


def _cards(page) -> list[Claim]:
    """The page's claims, each with ``card_sources`` (its distinct registered sources) and
    ``rating_label`` (Django's get_rating_display translates every choice on each call)."""
    claims = attach_card_sources(list(page.object_list))
    labels = {value: str(label) for value, label in Rating.choices}
    for claim in claims:
        claim.rating_label = labels.get(claim.rating, "")
    return claims


def _page_number(value: str | None, pages: int) -> int:
    """A page number from the querystring: the first for anything that is not one,
    the last for one past the end (as ``Paginator.get_page``)."""
    try:
        number = int(value or 1)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), pages)


def _number_links(request: HttpRequest, number: int, pages: int) -> dict[str, str]:
    """Querystrings of the neighbouring pages of ``pages``, keeping the other parameters."""
    links = {}
    for name, target in (("previous", number - 1), ("next", number + 1)):
        if 1 <= target <= pages:
            query = request.GET.copy()
            query["page"] = str(target)
            links[name] = "?" + query.urlencode()
    return links


def _page_links(request: HttpRequest, page) -> dict[str, str]:
    """Querystrings for a Paginator page's neighbours, keeping the filters."""
    return _number_links(request, page.number, page.paginator.num_pages)


# --- filters --------------------------------------------------------------------


def parse_date(value: str) -> dt.date:
    """A date written as ISO (2024-04-14) or Jalali (۱۴۰۳/۰۱/۲۶), in any digits."""
    parts = re.split(r"[-/.]", value.strip().translate(_TO_ASCII))
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise ValueError(value)
    year, month, day = (int(p) for p in parts)
    if year < 1700:
        return jdatetime.date(year, month, day).togregorian()
    return dt.date(year, month, day)


class PersianDateField(forms.CharField):
    default_error_messages = {"invalid": "تاریخ را به شکل ۱۴۰۳/۰۱/۲۶ یا 2024-04-14 بنویسید."}

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.update({"maxlength": "20", "placeholder": "۱۴۰۳/۰۱/۲۶", "inputmode": "numeric"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        if len(value) > 20:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return parse_date(value)
        except (ValueError, OverflowError) as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc


class QuickSelect(forms.Select):
    """Django's Select markup written here in Python: the template widget renders two
    templates per option, the costliest part of a list page with a few dozen sources."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        chosen = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((str(v), " selected" if str(v) in chosen else "", label) for v, label in self.choices),
        )
        return format_html(
            '<select name="{}"{}>\n{}\n</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), options
        )


class ClaimFilterForm(forms.Form):
    q = forms.CharField(label="جست‌وجو", required=False, max_length=200)
    rating = forms.ChoiceField(label="داوری", required=False, widget=QuickSelect)
    source = forms.ChoiceField(label="منبع", required=False, widget=QuickSelect)
    outlet = forms.ChoiceField(label="رسانه", required=False, widget=QuickSelect)
    date_from = PersianDateField(label="از تاریخ", required=False)
    date_to = PersianDateField(label="تا تاریخ", required=False)

    error_messages = {"invalid_choice": "گزینهٔ انتخاب‌شده در فهرست نیست."}

    def __init__(self, *args, sources: list[Source], outlets: list[Source], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sources = {s.slug: s for s in sources}
        self.outlets = {s.slug: s for s in outlets}
        self.fields["rating"].choices = [("", "همه"), *Rating.choices]
        self.fields["source"].choices = [("", "همه"), *((s.slug, s.name_fa) for s in sources)]
        self.fields["outlet"].choices = [("", "همه"), *((s.slug, s.name_fa) for s in outlets)]
        for name in ("rating", "source", "outlet"):
            self.fields[name].error_messages["invalid_choice"] = self.error_messages["invalid_choice"]
        self.fields["q"].error_messages["max_length"] = "عبارت جست‌وجو حداکثر ۲۰۰ نویسه است."
        self.fields["date_from"].error_messages["max_length"] = PersianDateField.default_error_messages[
            "invalid"
        ]
        self.fields["date_to"].error_messages["max_length"] = PersianDateField.default_error_messages[
            "invalid"
        ]

    def filters(self) -> dict[str, Any] | None:
        """The filters, or None when one is invalid (the form then carries the errors
        and the list is empty rather than silently wider than asked)."""
        if self.is_bound and not self.is_valid():
            return None
        data = getattr(self, "cleaned_data", {})
        return {
            "query": data.get("q") or "",
            "rating": data.get("rating") or "",
            "source": self.sources.get(data.get("source") or ""),
            "outlet": self.outlets.get(data.get("outlet") or ""),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }


# --- views ----------------------------------------------------------------------

_MAX_ID = 2**63 - 1


def _claim_id(value: str | int) -> int:
    """The id from the address; an id no database column can hold is simply not found."""
    number = int(value)
    if not 0 < number <= _MAX_ID:
        raise Http404("ادعا پیدا نشد.")
    return number


def _claim_list(request: HttpRequest, *, is_home: bool) -> HttpResponse:
    # The filter options change only with the public record: kept with the lists' version.
    sources, outlets = public_data(
        "list-options",
        (LISTS,),
        lambda: (list(sources_with_public_claims()), list(outlets_with_public_claims())),
    )
    sources, outlets = list(sources), list(outlets)
    # Any registered source may be asked for (source pages link here), even one
    # with no public claim yet: it is offered in the select only when asked for.
    for name, options in (("source", sources), ("outlet", outlets)):
        slug = request.GET.get(name, "")
        if slug and slug not in {s.slug for s in options}:
            options.extend(Source.objects.filter(slug=slug[:120]))
    form = ClaimFilterForm(request.GET or None, sources=sources, outlets=outlets)
    filters = form.filters()
    claims = public_claim_search(**filters) if filters is not None else Claim.objects.none()
    paginator = Paginator(claims, PAGE_SIZE)
    filtered = filters is None or any(value for value in filters.values())
    if not filtered:
        # The unfiltered list's length changes only with the public record: counted once
        # per version of the lists, not on every page view.
        paginator.count = public_data("public-claim-count", (LISTS,), claims.count)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "public/claim_list.html",
        {
            "is_home": is_home,
            "form": form,
            "filtered": filtered,
            "page": page,
            "claims": _cards(page),
            "page_links": _page_links(request, page),
            "total_fa": fa_digits(paginator.count),
            "speakers": public_speakers_matching(filters["query"]) if filters else [],
        },
    )


@require_safe
@public_cache
def home(request: HttpRequest) -> HttpResponse:
    return _claim_list(request, is_home=True)


@require_safe
@public_cache
def claim_list(request: HttpRequest) -> HttpResponse:
    return _claim_list(request, is_home=False)


@require_safe
def claim_by_id(request: HttpRequest, claim_id: int) -> HttpResponse:
    """/claims/<id>/: a short address that forwards to the canonical one."""
    claim = published_claims().filter(pk=_claim_id(claim_id)).only("id", "slug").first()
    if claim is None:
        raise Http404("ادعا پیدا نشد.")
    return HttpResponsePermanentRedirect(claim.get_absolute_url())


@require_safe
@public_cache(tags=claim_page_tags)
def claim_detail(request: HttpRequest, slug: str, claim_id: str | int) -> HttpResponse:
    claim = public_claim(_claim_id(claim_id))
    if claim is None:
        raise Http404("ادعا پیدا نشد.")
    if slug != claim.slug:
        return HttpResponsePermanentRedirect(claim.get_absolute_url())
    rating = Rating(claim.rating)
    history = [
        {
            "event": event,
            "old": rating_label(event.from_rating),
            "old_value": event.from_rating,
            "new": rating_label(event.to_rating),
            "new_value": event.to_rating,
        }
        for event in claim.public_events
    ]
    corrections = [item for item in history if item["event"].action == ClaimEvent.Action.CORRECTED]
    first_rating = corrections[0]["old_value"] if corrections else claim.rating
    # A corrected verdict shows when it was corrected beside when it was first published.
    corrected_at = corrections[-1]["event"].created_at if corrections else None
    # The earliest appearances name the claim's sources, its first publication and
    # the ClaimReview's; the one asked for is shown whole (the first, usually).
    pages = max(1, -(-claim.n_appearances // APPEARANCES_PER_PAGE))
    number = _page_number(request.GET.get("page"), pages)
    first = claim_appearances(claim.pk)
    claim.public_attributions = first
    shown = first if number == 1 else claim_appearances(claim.pk, offset=(number - 1) * APPEARANCES_PER_PAGE)
    appearances = appearances_of(shown)
    spread = appearances if number == 1 else appearances_of(first)
    sources: list[Source] = []
    for item in spread:
        source = item.attribution.source
        if source is not None and source not in sources:
            sources.append(source)
    description = f"{rating.label}: {claim.rationale}".strip()
    return render(
        request,
        "public/claim_detail.html",
        {
            "claim": claim,
            "rating": rating,
            "rating_explanation": RATING_EXPLANATIONS[rating],
            "is_corrected": claim.status == ClaimStatus.CORRECTED,
            "corrected_at": corrected_at,
            "history": history,
            "first_rating": rating_label(first_rating),
            "first_rating_value": first_rating,
            "appearances": appearances,
            "spread": spread,
            "appearance_count": claim.n_appearances,
            "appearance_count_fa": fa_digits(claim.n_appearances),
            "appearance_page": {
                "number": number,
                "pages": pages,
                "first": (number - 1) * APPEARANCES_PER_PAGE + 1,
                "last": (number - 1) * APPEARANCES_PER_PAGE + len(shown),
            },
            "page_links": _number_links(request, number, pages),
            "sources": sources,
            "canonical_url": claim_url(claim),
            "og_description": description[:300],
            "claimreview": ld_json(claimreview_for(claim)),
        },
    )


@require_safe
@public_cache(tags=source_page_tags)
def source_detail(request: HttpRequest, slug: str) -> HttpResponse:
    source = public_source(slug)
    if source is None:
        raise Http404("منبع پیدا نشد.")
    record = source_track_record(source)
    paginator = Paginator(source_public_claims(source), SOURCE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    statements_q = request.GET.get("sq", "").replace("\x00", "").strip()[:200]
    statements = Paginator(
        public_statements(source_id=source.pk, q=statements_q).select_related("claim"), STATEMENTS_PAGE_SIZE
    )
    statements_page = statements.get_page(request.GET.get("spage"))
    return render(
        request,
        "public/source_detail.html",
        {
            "source": source,
            "aliases": [a for a in source.aliases.all() if a.text != source.name_fa],
            "children": list(source.children.all()),
            "record": record,
            "chart": track_chart(record),
            "page": page,
            "claims": _cards(page),
            "page_links": _page_links(request, page),
            "canonical_url": site_url() + source.get_absolute_url(),
            "statements_page": statements_page,
            "statements_q": statements_q,
            "public_statuses": [str(s) for s in PUBLIC_STATUSES],
        },
    )


@require_safe
@public_cache(tags=lambda request: ())
def robots_txt(request: HttpRequest) -> HttpResponse:
    site = site_url()
    lines = [
        "User-agent: *",
        "Disallow: /review/",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /api/",
        "Allow: /",
        "",
        f"Sitemap: {site}/sitemap.xml",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
