from django.conf import settings


def site(request) -> dict:
    return {"ORG_NAME": settings.FACTCHECK_ORG_NAME, "SITE_URL": settings.FACTCHECK_SITE_URL}
