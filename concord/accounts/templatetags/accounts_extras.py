from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def whole_minutes(value: timedelta | None) -> int:
    """A duration in whole minutes, rounded up, for sentences like "for 60 minutes"."""
    if not value:
        return 0
    return -(-int(value.total_seconds()) // 60)
