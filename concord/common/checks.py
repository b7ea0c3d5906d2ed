"""System checks: encryption keys present and well formed (`manage.py check`, and at every start)."""

from typing import Any

from django.core.checks import CheckMessage, Error, Warning, register

from concord.common.encryption import key_problems

GENERATE_HINT = (
    "Generate each with: "
    'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
)


@register("security")
def check_encryption_keys(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    missing, malformed = key_problems()
    messages: list[CheckMessage] = [
        Error(problem, hint=GENERATE_HINT, id="concord.E001") for problem in malformed
    ]
    messages += [Warning(problem, hint=GENERATE_HINT, id="concord.W001") for problem in missing]
    return messages
