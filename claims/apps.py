from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "ادعاها و منابع"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects post_migrate role set-up)
