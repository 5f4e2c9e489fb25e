"""Full phone numbers and e-mail addresses only on an explicit, logged reveal.

A detail view shows a contact field masked (`RevealField`), with a button that POSTs to the
record's reveal view (a `RevealView` subclass wired with the detail view's own lookup and scope
mixins, so that whoever may not open the detail cannot reveal either: a 404). The reveal is logged
as `audit.REVEAL` with the field, then:
- with JavaScript (security/static/security/reveal.js, Accept: application/json), the value comes
  back as JSON and replaces the masked text in place, in an aria-live region;
- without, the view remembers the reveal in the session and redirects to the detail view, which
  shows that field in full once (no value is kept in the session, only which field).
"""

from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views import View
from wagtail.admin.ui.components import Component

from . import audit

SESSION_KEY = "security.revealed"
# What each revealable field is called, and what its button says.
FIELDS = {
    "mobile": ("手机号码", "显示完整号码"),
    "email": ("电子邮箱", "显示完整邮箱"),
}


def _token(instance, field):
    return f"{instance._meta.label_lower}:{instance.pk}:{field}"


def _remember(request, instance, field):
    revealed = request.session.get(SESSION_KEY, [])
    request.session[SESSION_KEY] = [*revealed, _token(instance, field)]


def _consume(request, instance, field):
    """Whether `field` of `instance` was just revealed without JavaScript (shown once, then forgotten)."""
    revealed = request.session.get(SESSION_KEY, [])
    token = _token(instance, field)
    if token not in revealed:
        return False
    request.session[SESSION_KEY] = [item for item in revealed if item != token]
    return True


class RevealField(Component):
    """A contact field on a detail view: masked, with its reveal button, or in full right after a reveal."""

    template_name = "security/reveal_field.html"

    def __init__(self, request, instance, field, masked, url_name):
        self.request, self.instance, self.field, self.masked = request, instance, field, masked
        self.url = reverse(url_name, args=[instance.pk, field])
        self.revealed = _consume(request, instance, field)

    def get_context_data(self, parent_context=None):
        label, button = FIELDS[self.field]
        return {
            "field": self.field,
            "label": label,
            "button": button,
            "shown": getattr(self.instance, self.field) if self.revealed else self.masked,
            "revealed": self.revealed,
            "url": self.url,
            "csrf_token": get_token(self.request),
        }


def reveal_field(request, instance, field, masked, url_name):
    """The detail view's value for `field`: a RevealField, or "—" when there is nothing to reveal."""
    if not getattr(instance, field):
        return "—"
    return RevealField(request, instance, field, masked, url_name)


class RevealView(View):
    """POST <pk>/<field>/: logs the reveal and gives the value (JSON) or goes back to the detail view.

    Subclasses put the detail view's object mixins on the left (they wrap `get_object`) and set
    `model`, `fields` (a subset of FIELDS) and `detail_url_name`.
    """

    http_method_names = ["post"]
    model = None
    fields = ()
    detail_url_name = None

    def get_object(self, *args, **kwargs):
        return get_object_or_404(self.model, pk=self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        # The record first, whatever the method: one out of the user's sight is a 404, never a 405.
        if kwargs["field"] not in self.fields:
            raise Http404
        self.object = self.get_object()
        if not getattr(self.object, kwargs["field"]):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, pk, field):
        instance, value = self.object, getattr(self.object, field)
        audit.audit(request, instance, audit.REVEAL, field=field)
        if "application/json" in request.headers.get("Accept", ""):
            response = JsonResponse({"field": field, "label": FIELDS[field][0], "value": value})
            add_never_cache_headers(response)
            return response
        _remember(request, instance, field)
        return redirect(f"{reverse(self.detail_url_name, args=[instance.pk])}#reveal-{field}")
