"""The desk's roles as Django groups, with the permissions each one holds."""

from __future__ import annotations

EDITOR = "editor"
SENIOR_EDITOR = "senior_editor"
ADMIN = "admin"

# codenames per app label
_EDITOR_PERMS = {
    "claims": [
        "view_article",
        "add_article",
        "change_article",
        "view_attribution",
        "change_attribution",
        "view_claim",
        "add_claim",
        "change_claim",
        "view_claimevent",
        "add_claimevent",
        "view_evidence",
        "add_evidence",
        "change_evidence",
        "delete_evidence",
        "view_source",
        "add_source",
        "change_source",
        "view_sourcealias",
        "add_sourcealias",
        "view_sourcecandidate",
        "change_sourcecandidate",
        "view_ingestjob",
        "add_ingestjob",
        "view_claimmatch",
        "view_consistencyflag",
        "view_claimchangeproposal",
        "add_claimchangeproposal",
        "change_consistencyflag",
        "view_feed",
        "view_externalreview",
        "add_externalreview",
    ],
}
_SENIOR_PERMS = {"claims": [*_EDITOR_PERMS["claims"], "publish_claim"]}
_ADMIN_PERMS = {
    "claims": [
        *_SENIOR_PERMS["claims"],
        "delete_source",
        "change_sourcealias",
        "delete_sourcealias",
        "delete_sourcecandidate",
        "view_partner",
        "add_partner",
        "change_partner",
        "delete_partner",
        "view_apikey",
        "add_apikey",
        "change_apikey",
        "view_webhookendpoint",
        "add_webhookendpoint",
        "change_webhookendpoint",
        "delete_webhookendpoint",
        "view_webhookdelivery",
        "view_webhookattempt",
        "add_feed",
        "change_feed",
        "delete_feed",
    ],
    "auth": ["view_user", "add_user", "change_user", "view_group"],
}

ROLE_PERMISSIONS = {EDITOR: _EDITOR_PERMS, SENIOR_EDITOR: _SENIOR_PERMS, ADMIN: _ADMIN_PERMS}


def ensure_roles() -> None:
    """Create the three groups and give them exactly their permissions (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    for group_name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        wanted = []
        for app_label, codenames in perms.items():
            wanted.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
            )
        group.permissions.set(wanted)
