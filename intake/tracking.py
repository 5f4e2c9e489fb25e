"""Tracking numbers and query codes: how an expert finds their item again without an account."""

import hmac

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.crypto import get_random_string, salted_hmac

from .models import IntakeItem, TrackingSequence

# No 0/O, 1/I/L: the code is read aloud on the phone and copied by hand from letters.
QUERY_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
QUERY_CODE_LENGTH = 8


def next_tracking_number(day):
    """LB20261125-0001: the day's next number. Call inside the transaction that saves the item."""
    sequence = TrackingSequence.objects.filter(day=day)
    # The UPDATE locks the day's row until the transaction ends, so no two items share a number.
    if not sequence.update(last_number=F("last_number") + 1):
        try:
            with transaction.atomic():
                TrackingSequence.objects.create(day=day, last_number=1)
        except IntegrityError:  # another request created the day's row first
            sequence.update(last_number=F("last_number") + 1)
    number = sequence.values_list("last_number", flat=True).get()
    return f"LB{day:%Y%m%d}-{number:04d}"


def new_query_code():
    return get_random_string(QUERY_CODE_LENGTH, QUERY_CODE_ALPHABET)


def normalise(text):
    """What a person typed, without spaces and in capitals."""
    return "".join(text.split()).upper()


def hash_query_code(tracking_number, query_code, key=None):
    """Kept like a password: a copy of the database alone does not open the tracking page.

    `key`: INTAKE_QUERY_CODE_KEY unless given (an old key, when checking a code).
    """
    value = f"{tracking_number}:{normalise(query_code)}"
    return salted_hmac("intake.query_code", value, secret=key or settings.INTAKE_QUERY_CODE_KEY).hexdigest()


def set_query_code(item):
    """Gives `item` a new random query code and returns it; only its hash is stored."""
    query_code = new_query_code()
    item.query_code_hash = hash_query_code(item.tracking_number, query_code)
    return query_code


def find_item(tracking_number, query_code):
    """The item with this number and code, or None: a wrong number and a wrong code look the same."""
    tracking_number = normalise(tracking_number)
    item = IntakeItem.objects.filter(tracking_number=tracking_number).first()
    expected = item.query_code_hash if item else ""
    keys = [settings.INTAKE_QUERY_CODE_KEY, *settings.INTAKE_QUERY_CODE_OLD_KEYS]
    # Every key is tried, found or not: a wrong number takes as long as a wrong code.
    matches = [hmac.compare_digest(expected, hash_query_code(tracking_number, query_code, key)) for key in keys]
    if item is None or not any(matches):
        return None
    return item
