"""What every public listing does with the query string: pick a page, narrow by a choice."""

from django.core.paginator import Paginator


def paginate(request, items, per_page):
    """The page of `items` named by ?page=: the first for a bad number, the last past the end."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def choice_filter(request, queryset, param, label, choices, field=None):
    """`queryset` narrowed to the choice that ?`param`= names, when it is one of `choices`.

    Returns the queryset and the filter as listing templates show it:
    (param, label, choices, selected value or "").
    """
    selected = request.GET.get(param, "")
    if selected in {value for value, _ in choices}:
        queryset = queryset.filter(**{field or param: selected})
    else:
        selected = ""
    return queryset, (param, label, choices, selected)
