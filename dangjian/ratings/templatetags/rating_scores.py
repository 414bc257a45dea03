"""The star rating's pages write scores and points as people write them (90, 92.5)."""

from django import template

from dangjian.ratings.models import number

register = template.Library()


@register.filter
def score(value) -> str:
    return number(value)
