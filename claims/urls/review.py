"""Everything under /review/: the editors' desk. Every view here checks its role
(see claims.views.review_base.desk_view); tests/review/test_permissions.py walks
this list and fails for a view that does not."""

from django.urls import path

from claims.views import (
    review,
    review_claims,
    review_exchange,
    review_positions,
    review_sources,
    review_statements,
)

app_name = "review"

candidate = "articles/<int:article_id>/candidates/<int:pk>/"

urlpatterns = [
    path("", review.inbox, name="inbox"),
    path("articles/<int:pk>/", review.article_review, name="article"),
    path("articles/<int:pk>/retry/", review.article_retry, name="article_retry"),
    path("articles/<int:pk>/edit/", review.article_edit, name="article_edit"),
    path(candidate, review.attribution_card, name="attribution_card"),
    path(candidate + "accept/", review.attribution_accept, name="attribution_accept"),
    path(candidate + "link/", review.attribution_link, name="attribution_link"),
    path(candidate + "dismiss/", review.attribution_dismiss, name="attribution_dismiss"),
    path(candidate + "restore/", review.attribution_restore, name="attribution_restore"),
    path(candidate + "source/", review.attribution_source, name="attribution_source"),
    path(candidate + "span/", review.attribution_span, name="attribution_span"),
    path("search/claims/", review.claim_search, name="claim_search"),
    path("search/sources/", review.source_search, name="source_search"),
    path("claims/", review_claims.claims_list, name="claims"),
    path("claims/<int:pk>/", review_claims.claim_workspace, name="claim"),
    path("claims/<int:pk>/text/", review_claims.claim_edit, name="claim_edit"),
    path("claims/<int:pk>/status/", review_claims.claim_transition, name="claim_transition"),
    path("claims/<int:pk>/rate/", review_claims.claim_rate, name="claim_rate"),
    path("claims/<int:pk>/submit/", review_claims.claim_submit, name="claim_submit"),
    path("claims/<int:pk>/assign/", review_claims.claim_assign, name="claim_assign"),
    path("claims/<int:pk>/note/", review_claims.claim_note, name="claim_note"),
    path("claims/<int:pk>/evidence/", review_claims.claim_evidence, name="claim_evidence"),
    path("claims/<int:pk>/merge/", review_claims.claim_merge, name="claim_merge"),
    path("claims/<int:pk>/publish/", review_claims.claim_publish, name="claim_publish"),
    path("claims/<int:pk>/correct/", review_claims.claim_correct, name="claim_correct"),
    path("claims/<int:pk>/send-back/", review_claims.claim_send_back, name="claim_send_back"),
    path("claims/<int:pk>/flags/<int:flag_id>/resolve/", review_claims.flag_resolve, name="flag_resolve"),
    path("proposals/", review_claims.proposals_list, name="proposals"),
    path("proposals/<int:pk>/accept/", review_claims.proposal_accept, name="proposal_accept"),
    path("proposals/<int:pk>/reject/", review_claims.proposal_reject, name="proposal_reject"),
    path("sources/", review_sources.sources_list, name="sources"),
    path("sources/new/", review_sources.source_new, name="source_new"),
    path("sources/<int:pk>/", review_sources.source_detail, name="source"),
    path("sources/<int:pk>/edit/", review_sources.source_edit, name="source_edit"),
    path("sources/<int:pk>/aliases/", review_sources.source_alias_add, name="source_alias_add"),
    path(
        "sources/<int:pk>/aliases/<int:alias_id>/remove/",
        review_sources.source_alias_remove,
        name="source_alias_remove",
    ),
    path("sources/<int:pk>/terms/", review_positions.source_terms_page, name="source_terms"),
    path("sources/<int:pk>/terms/<int:term_id>/", review_positions.source_term_edit, name="source_term_edit"),
    path("sources/unknown/", review_sources.candidates, name="candidates"),
    path("sources/unknown/<int:pk>/merge/", review_sources.candidate_merge, name="candidate_merge"),
    path("sources/unknown/<int:pk>/create/", review_sources.candidate_create, name="candidate_create"),
    path("sources/unknown/<int:pk>/ignore/", review_sources.candidate_ignore, name="candidate_ignore"),
    path("ingest/", review.ingest, name="ingest"),
    path("ingest/upload/", review.ingest_upload, name="ingest_upload"),
    path("ingest/jobs/<int:pk>/", review.ingest_job, name="ingest_job"),
    path("statements/<int:pk>/", review_statements.statement_detail, name="statement"),
    path("statements/<int:pk>/confirm/", review_statements.statement_confirm, name="statement_confirm"),
    path(
        "statements/<int:pk>/split/<int:attribution_id>/",
        review_statements.statement_split,
        name="statement_split",
    ),
    path("fact-checks/", review_exchange.external_reviews, name="external_reviews"),
    path("fact-checks/import/", review_exchange.external_review_import, name="external_review_import"),
    path("exports/", review_exchange.exports_page, name="exports"),
    path("exports/claims/", review_exchange.export_claims, name="export_claims"),
    path("exports/statements/", review_exchange.export_statements, name="export_statements"),
]
