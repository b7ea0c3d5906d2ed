from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "concord.audit"
    verbose_name = "Audit"
