from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def column_url(context, column):
    """The URL of a special column's page, with one lookup of the index per request."""
    return column.get_url(context.get("request"))
