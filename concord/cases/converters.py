"""The `casecode` path converter: case pages take `<casecode:code>` (C-XXXX-XXXX), so that a case code
never collides with the fixed paths (`referrals/`, `screenings/`, `notifications/`)."""

from django.urls import register_converter


class CaseCodeConverter:
    regex = "C-[2-9A-Z]{4}-[2-9A-Z]{4}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CaseCodeConverter, "casecode")
