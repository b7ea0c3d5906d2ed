from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "concord.coordination"
    verbose_name = "Coordination"
