from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "ادعاها و منابع"

    def ready(self) -> None:
        # Connect receivers: role set-up after migrate, public cache invalidation
        # and partner webhooks on published/corrected verdicts.
        # The Celery task modules are imported too, so every process has them
        # registered and services can queue them by name (claims.services.dispatch)
        # without importing a task module.
        from claims import cache, metrics, observability, signals, tasks  # noqa: F401
        from claims.api import receivers  # noqa: F401
        from claims.api import tasks as api_tasks  # noqa: F401

        metrics.register()
