"""Top-level addresses. Each part of the product owns its own URL module."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from claims.views import ops
from claims.views.accounts import LoginView

admin.site.site_header = "مدیریت میز راستی‌آزمایی"
admin.site.site_title = "مدیریت"

urlpatterns = [
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
