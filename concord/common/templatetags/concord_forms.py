from typing import Any

from django import template
from django.forms import BoundField
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

_CLASSES = {"checkbox": "form-check-input", "select": "form-select"}


@register.simple_tag
def bootstrap_widget(field: BoundField) -> SafeString:
    """Render a field's widget with Bootstrap's class, its error state and ARIA links to help and errors."""
    widget = field.field.widget
    kind = getattr(widget, "input_type", None) or ("select" if "select" in widget.template_name else "")
    css = _CLASSES.get(kind, "form-control")
    if kind in {"radio"} or widget.__class__.__name__.endswith("CheckboxSelectMultiple"):
        css = ""
    attrs: dict[str, Any] = {"class": f"{css} is-invalid".strip() if field.errors else css}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    if field.errors:
        described.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return format_html("{}", field.as_widget(attrs=attrs))


@register.filter
def add_label_class(label_tag: str, css: str) -> SafeString:
    return format_html("{}", SafeString(str(label_tag).replace("<label", f'<label class="{css}"', 1)))
