"""The public side of /contact/: the form, the receipt, the tracking page and the public answers.

Every response here is private and never cached: the form carries a CSRF token, the
receipt and the tracking page show one person's item.
"""

import logging
import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.signing import BadSignature
from django.db import OperationalError
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers, patch_cache_control

from staff.levels import Level

from . import ratelimit, workflow
from .forms import ContactForm, RatingForm, TrackingForm
from .models import Channel, PublicAnswer, Status
from .tracking import find_item

RECEIPT_COOKIE = "intake_receipt"
RECEIPT_SALT = "intake.receipt"
RECEIPT_MAX_AGE = 30 * 60
ANSWERS_PER_PAGE = 10
BUSY_RETRY_AFTER = 60  # seconds

logger = logging.getLogger(__name__)


def private(response):
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response


def too_many_requests(page, request, verdict):
    response = page.render(
        request,
        template="intake/rate_limited.html",
        context_overrides={"retry_minutes": math.ceil(verdict.retry_after / 60)},
    )
    response.status_code = 429
    response["Retry-After"] = str(verdict.retry_after)
    return private(response)


def contact(page, request):
    service = page.requested_service(request)
    form, busy = ContactForm(service=service), False
    if request.method == "POST":
        try:
            verdict = ratelimit.hit(request, "submit", settings.INTAKE_SUBMISSION_RATE_LIMIT)
            if not verdict.allowed:
                return too_many_requests(page, request, verdict)
            form = ContactForm(request.POST, request.FILES, service=service)
            if form.is_valid():
                item = form.save(commit=False)
                item.channel = Channel.WEB
                item.level = Level.CITY  # the city talent office runs the online channel
                query_code = workflow.receive(item)
                return receipt_redirect(page, request, item, query_code)
        except OperationalError:
            # SQLite locked past its busy timeout, or the database gone: nothing was stored.
            # The expert gets what they typed back to send again; an upload cannot be kept.
            logger.exception("Contact form: the database refused the submission.")
            form, busy = ContactForm(request.POST, service=service), True
    context = {"form": form, "busy": busy, "latest_answers": PublicAnswer.objects.filter(live=True)[:3]}
    return private(busy_status(page.render(request, context_overrides=context), busy))


def busy_status(response, busy):
    """A 503 that asks to come back in a minute, when the database was too busy to answer."""
    if busy:
        response.status_code = 503
        response["Retry-After"] = str(BUSY_RETRY_AFTER)
    return response


def receipt_redirect(page, request, item, query_code):
    response = redirect(page.get_url(request) + page.reverse_subpage("submitted"))
    response.set_signed_cookie(
        RECEIPT_COOKIE,
        f"{item.tracking_number}:{query_code}",
        salt=RECEIPT_SALT,
        max_age=RECEIPT_MAX_AGE,
        path=page.get_url(request),
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return private(response)


def submitted(page, request):
    """The receipt after a submission: its tracking number and query code, kept for half an hour."""
    try:
        receipt = request.get_signed_cookie(RECEIPT_COOKIE, salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE)
    except (KeyError, BadSignature):
        return redirect(page.get_url(request))
    tracking_number, _, query_code = receipt.partition(":")
    context = {"tracking_number": tracking_number, "query_code": query_code}
    return private(page.render(request, template="intake/contact_page_submitted.html", context_overrides=context))


def track(page, request):
    form, item, busy = TrackingForm(), None, False
    if request.method == "POST":
        try:
            verdict = ratelimit.hit(request, "track", settings.INTAKE_LOOKUP_RATE_LIMIT)
            if not verdict.allowed:
                return too_many_requests(page, request, verdict)
            form = TrackingForm(request.POST)
            item = found_item(form)
        except OperationalError:
            logger.exception("Tracking form: the database did not answer.")
            form, item, busy = TrackingForm(request.POST), None, True
    return render_track(page, request, form, item, busy=busy)


def rate(page, request):
    """The expert's own rating (回访) of a closed item, posted from the tracking page."""
    if request.method != "POST":
        return redirect(page.get_url(request) + page.reverse_subpage("track"))
    form, item, busy, rating_form = TrackingForm(request.POST), None, False, RatingForm(request.POST)
    try:
        verdict = ratelimit.hit(request, "rate", settings.INTAKE_RATING_RATE_LIMIT)
        if not verdict.allowed:
            return too_many_requests(page, request, verdict)
        item = found_item(form)
        if item and rating_form.is_valid():
            data = rating_form.cleaned_data
            try:
                item = workflow.rate(item, satisfaction=data["satisfaction"], comment=data["comment"])
            except ValidationError as error:
                return render_track(page, request, form, item, rating_refused=error.messages[0])
            return render_track(page, request, form, item, rated=True)
    except OperationalError:
        logger.exception("Rating form: the database did not answer.")
        form, item, busy = TrackingForm(request.POST), None, True
    return render_track(page, request, form, item, busy=busy, rating_form=rating_form)


def found_item(form):
    """The item a valid tracking form names, or None with the form's error saying it was not found."""
    if not form.is_valid():
        return None
    item = find_item(form.cleaned_data["tracking_number"], form.cleaned_data["query_code"])
    if item is None:
        form.add_error(None, "未找到对应的事项，请核对查询号和查询码后重试。")
    return item


def render_track(page, request, form, item, *, busy=False, rating_form=None, rated=False, rating_refused=""):
    """The tracking page: the form, and the item that the number and code open, with its rating form
    while the item is closed and not yet rated."""
    if item and item.status == Status.CLOSED and rating_form is None:
        rating_form = RatingForm(initial=form.cleaned_data)
    context = {
        "form": form,
        "item": item,
        "busy": busy,
        "steps": item.steps.filter(public=True) if item else [],
        "rating_form": rating_form if item and item.status == Status.CLOSED else None,
        "rated": rated,
        "rating_refused": rating_refused,
    }
    response = page.render(request, template="intake/contact_page_track.html", context_overrides=context)
    return private(busy_status(response, busy))


def answers(page, request):
    paginator = Paginator(PublicAnswer.objects.filter(live=True), ANSWERS_PER_PAGE)
    context = {"page_obj": paginator.get_page(request.GET.get("page"))}
    return page.render(request, template="intake/contact_page_answers.html", context_overrides=context)
