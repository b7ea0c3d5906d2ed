from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "concord.common"
    verbose_name = "Shared building blocks"
