"""Wagtail's {% picture %}, with its filters built once per template instead of on every render."""

from django import template
from wagtail.images.templatetags.wagtailimages_tags import image

register = template.Library()


@register.tag
def picture(parser, token):
    node = image(parser, token)
    # Wagtail makes new Filter objects, and parses their operations again, for every image it
    # renders: half the tag's time (~0.4 ms an image). Templates are compiled once per process.
    filters = node.get_filters()
    node.get_filters = lambda: filters
    return node
