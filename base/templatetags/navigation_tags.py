from django import template
from wagtail.models import Page, Site

from base.page_cache import remembered

register = template.Library()


def _site(context):
    request = context.get("request")
    return Site.find_for_request(request) if request else None


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    """The home page and its live children marked "show in menus", in tree order."""
    request = context.get("request")
    site = _site(context)
    if site is None:
        return {"menu": None}

    def build():
        home = site.root_page
        children = home.get_children().live().in_menu()
        return {
            "home": (home.pk, home.get_url(request)),
            "sections": [(item.pk, item.path, item.title, item.get_url(request)) for item in children],
        }

    menu = remembered(("main-menu", site.pk), build)  # on every page: built once per generation
    current = context.get("page")
    current_section = None
    if isinstance(current, Page):
        if current.pk == site.root_page_id:
            current_section = site.root_page_id
        else:
            current_section = next((pk for pk, path, _, _ in menu["sections"] if current.path.startswith(path)), None)
    return {"menu": menu, "current_section": current_section}


@register.simple_tag(takes_context=True)
def breadcrumbs(context, page):
    """Ancestors of `page` from the site's home page down, excluding the page itself."""
    site = _site(context)
    if site is None or not isinstance(page, Page) or page.pk == site.root_page_id:
        return []
    home_depth = remembered(("site-root-depth", site.pk), lambda: site.root_page.depth)
    return list(page.get_ancestors().filter(depth__gte=home_depth).live())
