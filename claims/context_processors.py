from django.conf import settings

from claims.site import site_url


def site(request) -> dict:
    return {"ORG_NAME": settings.FACTCHECK_ORG_NAME, "SITE_URL": site_url()}
