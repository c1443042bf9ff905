"""Every page of the site, generated from its URL patterns, with the roles that
see it. A pattern that is neither a page here nor listed as "not a page" (with
the reason) is returned as uncovered, and the tests fail on it: a new page gets
its place in the walk when it is added."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import iri_to_uri

from tests.review.browser.world import World
from tests.review.test_permissions import MIN_ROLE

READER, EDITOR, SENIOR, ADMIN = "reader", "editor", "senior", "admin"
ROLES = (READER, EDITOR, SENIOR, ADMIN)
DESK_ROLES = {EDITOR: (EDITOR, SENIOR, ADMIN), SENIOR: (SENIOR, ADMIN), ADMIN: (ADMIN,)}


@dataclass(frozen=True)
class Page:
    name: str  # the URL name, with a suffix for a second state of the same page
    url: str
    roles: tuple[str, ...]
    status: int = 200


# URL names that are not pages a person reads, with why.
NOT_PAGES = {
    # desk: fragments swapped in by htmx, and file downloads
    "review:attribution_card": "an htmx fragment of the article page (visited there)",
    "review:claim_search": "an htmx fragment (search results in a candidate card)",
    "review:source_search": "an htmx fragment (search results in a candidate card)",
    "review:export_claims": "a CSV / JSON Lines download",
    "review:export_statements": "a CSV / JSON Lines download",
    # public: machine-readable documents and a redirect
    "public:claim_by_id": "a permanent redirect to the claim's page",
    "public:feed_rss": "an RSS document",
    "public:feed_atom": "an Atom document",
    "public:source_feed_rss": "an RSS document",
    "public:source_feed_atom": "an Atom document",
    "public:sitemap": "an XML sitemap",
    "public:robots": "robots.txt",
    # the rest of the site
    "favicon": "a redirect to the icon",
    "healthz": "an operations probe (JSON)",
    "readyz": "an operations probe (JSON)",
    "metrics": "Prometheus text",
    "logout": "POST only",
    "admin:logout": "POST only",
    "admin:autocomplete": "JSON for the autocomplete boxes",
    "admin:jsi18n": "JavaScript",
    "admin:view_on_site": "a redirect to the public page",
}
NOT_PAGE_PREFIXES = {
    "api": "the partner API: JSON, its schema and its documentation (tests/api)",
}
# The admin's object tools (history, delete) use one template for every model:
# they are walked for one model of each application.
ADMIN_TOOLS = ("history", "delete")


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}:{p.namespace}" if namespace and p.namespace else (p.namespace or namespace)
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), prefix + str(p.pattern), p


def url_names() -> dict[str, tuple[str, URLPattern]]:
    return {name: (route, p) for name, route, p in _walk(get_resolver().url_patterns)}


def is_action(pattern: URLPattern) -> bool:
    """A desk view that only takes POST: an action whose answer is a page walked
    elsewhere (or an htmx fragment of one)."""
    methods = getattr(pattern.callback, "desk_methods", None)
    return methods is not None and "GET" not in methods


def _roles_for_desk(name: str) -> tuple[str, ...]:
    return DESK_ROLES[MIN_ROLE[name.split(":", 1)[1]]]


def desk_pages(world: World) -> list[Page]:
    w = world
    kwargs = {
        "review:inbox": {},
        "review:article": {"pk": w.article.pk},
        "review:article_edit": {"pk": w.article.pk},
        "review:claims": {},
        "review:claim": {"pk": w.published.pk},
        "review:claim_publish": {"pk": w.submitted.pk},
        "review:proposals": {},
        "review:sources": {},
        "review:source_new": {},
        "review:source": {"pk": w.person.pk},
        "review:source_edit": {"pk": w.person.pk},
        "review:source_terms": {"pk": w.office.pk},
        "review:candidates": {},
        "review:ingest": {},
        "review:ingest_job": {"pk": w.job.pk},
        "review:statement": {"pk": w.statement.pk},
        "review:external_reviews": {},
        "review:exports": {},
    }
    pages = [Page(n, reverse(n, kwargs=k), _roles_for_desk(n)) for n, k in kwargs.items()]
    claim = _roles_for_desk("review:claim")
    pages += [
        # the same pages in their other states
        Page(
            "review:inbox~reversed-dates", reverse("review:inbox") + "?from=2024-04-14&to=2024-01-01", claim
        ),
        Page("review:claims~submitted", reverse("review:claims") + "?status=submitted", claim),
        Page("review:claim~submitted", reverse("review:claim", args=[w.submitted.pk]), claim),
        Page("review:claim~rated", reverse("review:claim", args=[w.rated.pk]), claim),
        Page("review:claim~corrected", reverse("review:claim", args=[w.corrected.pk]), claim),
        Page("review:sources~unknown", reverse("review:candidates") + "?status=ignored", claim),
    ]
    return pages


def public_pages(world: World) -> list[Page]:
    w = world
    every = ROLES
    return [
        Page("public:home", reverse("public:home"), every),
        Page("public:claim_list", reverse("public:claim_list"), every),
        Page("public:claim_list~search", reverse("public:claim_list") + f"?q={w.person.name_fa}", every),
        Page(
            "public:claim_list~bad-dates",
            reverse("public:claim_list") + "?date_from=abc&date_to=2024-01-01",
            every,
        ),
        Page("public:claim", iri_to_uri(w.published.get_absolute_url()), every),
        Page("public:claim~corrected", iri_to_uri(w.corrected.get_absolute_url()), every),
        Page("public:source", iri_to_uri(w.person.get_absolute_url()), every),
        Page("page-not-found", "/claims/no-such-claim-999999/", every, status=404),
        Page("login", reverse("login"), (READER,)),
        Page("admin:login", reverse("admin:login"), (READER,)),
    ]


def admin_pages() -> list[Page]:
    """The admin's pages, from its URL patterns: the index, each application, and
    for each model its list, add form (where adding is allowed) and an object's
    change form; history and delete for one model of each application."""
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = _superuser()
    pages = [
        Page("admin:index", reverse("admin:index"), (ADMIN,)),
        Page("admin:password_change", reverse("admin:password_change"), (ADMIN,)),
        Page("admin:password_change_done", reverse("admin:password_change_done"), (ADMIN,)),
    ]
    apps_seen: set[str] = set()
    for model, model_admin in admin.site._registry.items():
        app, prefix = model._meta.app_label, f"admin:{model._meta.app_label}_{model._meta.model_name}"
        if app not in apps_seen:
            pages.append(Page(f"admin:app_list~{app}", reverse("admin:app_list", args=[app]), (ADMIN,)))
        pages.append(Page(f"{prefix}_changelist", reverse(f"{prefix}_changelist"), (ADMIN,)))
        if model_admin.has_add_permission(request):
            pages.append(Page(f"{prefix}_add", reverse(f"{prefix}_add"), (ADMIN,)))
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            pages.append(Page(f"{prefix}_change", "", (ADMIN,)))  # reported as uncovered
            continue
        pages.append(Page(f"{prefix}_change", reverse(f"{prefix}_change", args=[obj.pk]), (ADMIN,)))
        if app not in apps_seen:
            for tool in ADMIN_TOOLS:
                pages.append(Page(f"{prefix}_{tool}", reverse(f"{prefix}_{tool}", args=[obj.pk]), (ADMIN,)))
        apps_seen.add(app)
    name = "admin:auth_user_password_change"
    pages.append(Page(name, reverse(name, args=[_superuser().pk]), (ADMIN,)))
    return pages


def _superuser():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_superuser=True).order_by("pk").first()


def every_page(world: World) -> tuple[list[Page], list[str]]:
    """The pages to walk, and the URL names that are neither walked nor known
    not to be pages (each a failure: give it a page or a reason)."""
    pages = desk_pages(world) + public_pages(world) + admin_pages()
    walked = {p.name.split("~", 1)[0] for p in pages if p.url}
    uncovered = []
    for name, (_route, pattern) in url_names().items():
        if name in walked or name in NOT_PAGES or name.split(":", 1)[0] in NOT_PAGE_PREFIXES:
            continue
        if is_action(pattern):
            continue
        if name.startswith("admin:") and name.rsplit("_", 1)[-1] in ADMIN_TOOLS:
            continue  # walked for one model of each application (see ADMIN_TOOLS)
        if name.startswith("admin:") and name.endswith("_add"):
            model_name = name[len("admin:") :].rsplit("_", 1)[0]
            if not any(p.name.startswith(f"admin:{model_name}_") for p in pages):
                uncovered.append(name)
            continue  # not walked: the model's admin allows no adding
        uncovered.append(name)
    uncovered += [p.name for p in pages if not p.url]
    return [p for p in pages if p.url], sorted(uncovered)
