from django import template

from concord.network import languages

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    """An ISO 639 code as the language's name."""
    return languages.language_name(code)
