from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "concord.accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from concord.accounts import signals  # noqa: F401  (sign-in audit receivers)
