"""Addresses under /api/: the versioned partner API, its schema and docs, and a JSON 404 for the rest."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from claims.api import statements, views
from claims.api.docs import RedocView, SwaggerView
from claims.api.errors import api_not_found

app_name = "api"

v1 = [
    path("claims/", views.ClaimListView.as_view(), name="claims-list"),
    path("claims/<int:claim_id>/", views.ClaimDetailView.as_view(), name="claims-detail"),
    path(
        "claims/<int:claim_id>/appearances/",
        views.ClaimAppearancesView.as_view(),
        name="claims-appearances",
    ),
    path("sources/", views.SourceListView.as_view(), name="sources-list"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="sources-detail"),
    path("ratings/", views.RatingListView.as_view(), name="ratings-list"),
    path("statements/", statements.StatementListView.as_view(), name="statements-list"),
    path("articles/", views.ArticleSubmitView.as_view(), name="articles-create"),
    path("articles/<int:article_id>/", views.ArticleStatusView.as_view(), name="articles-detail"),
    path("webhooks/", views.WebhookListCreateView.as_view(), name="webhooks-list"),
    path("webhooks/<int:webhook_id>/", views.WebhookDetailView.as_view(), name="webhooks-detail"),
    path(
        "webhooks/<int:webhook_id>/rotate-secret/",
        views.WebhookRotateSecretView.as_view(),
        name="webhooks-rotate-secret",
    ),
]

urlpatterns = [
    *[path(f"v1/{p.pattern}", p.callback, name=p.name) for p in v1],
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", RedocView.as_view(url_name="api:schema"), name="redoc"),
    re_path(r"^(?P<unmatched>.*)$", api_not_found),
]
