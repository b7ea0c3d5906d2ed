"""Languages spoken at an organisation or by a contact person, stored as ISO 639 codes (pycountry)."""

from __future__ import annotations

import gettext
from collections.abc import Iterable
from functools import lru_cache

import pycountry
from django.utils.translation import get_language, to_locale


def _find(code: str) -> object | None:
    code = code.strip().lower()
    if len(code) == 2:
        return pycountry.languages.get(alpha_2=code)
    if len(code) == 3:
        return pycountry.languages.get(alpha_3=code) or pycountry.languages.get(bibliographic=code)
    return None


def unknown_language_codes(codes: Iterable[str]) -> list[str]:
    """The codes that are neither ISO 639-1 nor ISO 639-3 (nor 639-2/B)."""
    return [code for code in codes if _find(code) is None]


def normalise_language_codes(codes: Iterable[str]) -> list[str]:
    """Lower-case, trimmed, without repeats, in the order given."""
    seen: list[str] = []
    for code in codes:
        code = code.strip().lower()
        if code and code not in seen:
            seen.append(code)
    return seen


@lru_cache(maxsize=16)
def _catalogue(locale: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso639-3", pycountry.LOCALES_DIR, languages=[locale, locale.split("_")[0]], fallback=True
    )


def language_name(code: str) -> str:
    """The language's name in the user's language where pycountry has it, else in English; an unknown
    code is shown as it is."""
    language = _find(code)
    if language is None:
        return code
    name = str(language.name)  # type: ignore[attr-defined]
    return _catalogue(to_locale(get_language() or "en")).gettext(name)
