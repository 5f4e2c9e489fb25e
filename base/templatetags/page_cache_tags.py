from django import template

from base.page_cache import remembered

register = template.Library()


class PublicFragmentNode(template.Node):
    def __init__(self, nodelist, key):
        self.nodelist = nodelist
        self.key = key

    def render(self, context):
        request = context.get("request")
        if request is None or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        key = ("fragment", request.get_host(), *(str(part.resolve(context)) for part in self.key))
        return remembered(key, lambda: self.nodelist.render(context))


@register.tag
def public_fragment(parser, token):
    """{% public_fragment "name" value ... %}...{% endpublic_fragment %}: the enclosed HTML,
    rendered once per process, site and values until anything public changes (never in previews).

    The values must name everything the HTML shows: a card of a live page by its id, say.
    """
    key = token.split_contents()[1:]
    if not key:
        raise template.TemplateSyntaxError("public_fragment needs a name and the values the fragment depends on.")
    nodelist = parser.parse(("endpublic_fragment",))
    parser.delete_first_token()
    return PublicFragmentNode(nodelist, [parser.compile_filter(bit) for bit in key])
