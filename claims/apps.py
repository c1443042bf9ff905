from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "ادعاها و منابع"

    def ready(self) -> None:
        # Connect receivers: role set-up after migrate, public cache invalidation
        # and partner webhooks on published/corrected verdicts.
        from claims import cache, metrics, observability, signals  # noqa: F401
        from claims.api import receivers  # noqa: F401

        metrics.register()
