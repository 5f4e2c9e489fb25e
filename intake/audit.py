from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import ModelLogEntry


def log_export(user, model, label, row_count):
    """An export of many rows is logged like a change, against the model rather than one row."""
    ModelLogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_id="0",  # no single row; 0 matches none, so history views show the label without a link
        label=label,
        action="intake.export",
        user=user,
        timestamp=timezone.now(),
        data={"rows": row_count},
    )
