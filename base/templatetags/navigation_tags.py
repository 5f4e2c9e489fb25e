from django import template
from wagtail.models import Page, Site

register = template.Library()


def _site_root(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return site.root_page if site else None


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    """The home page's live children marked "show in menus", in tree order."""
    home = _site_root(context)
    if home is None:
        return {"home": None, "menu_items": [], "current_section": None}
    menu_items = list(home.get_children().live().in_menu())
    current = context.get("page")
    current_section = None
    if isinstance(current, Page):
        if current.pk == home.pk:
            current_section = home.pk
        else:
            current_section = next((item.pk for item in menu_items if current.path.startswith(item.path)), None)
    return {"home": home, "menu_items": menu_items, "current_section": current_section}


@register.simple_tag(takes_context=True)
def breadcrumbs(context, page):
    """Ancestors of `page` from the site's home page down, excluding the page itself."""
    home = _site_root(context)
    if home is None or not isinstance(page, Page) or page.pk == home.pk:
        return []
    return list(page.get_ancestors().filter(depth__gte=home.depth).live())
