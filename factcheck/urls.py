"""Top-level addresses. Each part of the product owns its own URL module."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.http import require_safe

from claims.views import ops
from claims.views.accounts import LoginView


@require_safe
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    # Resolved per request: the hashed static name exists only after collectstatic.
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


admin.site.site_header = "مدیریت میز راستی‌آزمایی"
admin.site.site_title = "مدیریت"

urlpatterns = [
    # Browsers ask for /favicon.ico on pages without an icon link (the API docs, files).
    path("favicon.ico", favicon, name="favicon"),
    path("healthz", ops.healthz, name="healthz"),
    path("readyz", ops.readyz, name="readyz"),
    path("metrics", ops.metrics, name="metrics"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("review/", include("claims.urls.review")),
    path("api/", include("claims.api.urls")),
    path("", include("claims.urls.public")),
]

# The product's Persian error pages (claims/middleware.py shows them with DEBUG on too).
handler400 = "claims.views.errors.bad_request"
handler403 = "claims.views.errors.permission_denied"
handler404 = "claims.views.errors.page_not_found"
handler500 = "claims.views.errors.server_error"
