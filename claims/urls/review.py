from django.urls import path

from claims.views import review

app_name = "review"

urlpatterns = [
    path("", review.inbox, name="inbox"),
]
