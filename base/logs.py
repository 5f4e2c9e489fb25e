"""Log records that say which request they belong to, and one JSON object per line when asked.

LOG_FORMAT=json (portal/settings/base.py) selects JsonFormatter. The request id comes from nginx's
X-Request-ID (base.middleware.RequestIdMiddleware) and is added to every record logged while the
request runs, whatever the logger.
"""

import json
import logging
from contextvars import ContextVar
from datetime import datetime

request_id = ContextVar("request_id", default=None)

# What every LogRecord has; anything else on a record came from `extra=` and is written out too.
STANDARD_ATTRIBUTES = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id"}


class RequestIdFilter(logging.Filter):
    """On the handlers, so that records of every logger get it (None outside a request)."""

    def filter(self, record):
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One line per record: time, level, logger, message, request_id when in a request, the plain
    values given in `extra=`, and the traceback as one string (its newlines escaped).

    Objects in `extra=` are left out: Django's request logger passes the request, whose text would
    carry the query string (an intake query code, personal data)."""

    def format(self, record):
        entry = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if getattr(record, "request_id", None):
            entry["request_id"] = record.request_id
        entry.update(
            (key, value)
            for key, value in record.__dict__.items()
            if key not in STANDARD_ATTRIBUTES and isinstance(value, str | int | float | bool | None)
        )
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)

    def formatTime(self, record, datefmt=None):
        # ISO 8601 with the offset, in the server's zone, to the millisecond.
        return datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds")
