"""Who touched whose data: one function writes every audit entry.

Entries are Wagtail log entries, in the log table registered for the touched model (an expert's in
`ExpertLogEntry`, an intake item's in `IntakeLogEntry` ...), so that site history and each record's
history show them, scoped as the record is. `data` carries the client address and the result.
"""

from wagtail.log_actions import log

from intake.ratelimit import client_address

VIEW = "portal.view"
REVEAL = "portal.reveal"


def audit(request, instance, action, *, result="成功", **data):
    """Logs `action` by the request's user on `instance`, with the address it came from."""
    user = request.user if request.user.is_authenticated else None
    return log(
        instance=instance,
        action=action,
        user=user,
        data={"ip": client_address(request), "result": result, **data},
    )
