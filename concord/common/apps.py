from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "concord.common"
    verbose_name = "Shared building blocks"

    def ready(self) -> None:
        from concord.common import checks  # noqa: F401  (registers the system checks)
