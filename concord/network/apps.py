from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "concord.network"
    verbose_name = "Network registry"
