"""The Celery app. Settings come from Django's settings under the CELERY_ prefix."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings.base")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

app = Celery("factcheck")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Partner webhook delivery tasks live beside the API code.
app.autodiscover_tasks(["claims.api"])
