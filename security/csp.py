"""Content-Security-Policy: one strict policy for the public site, a looser one for the admin.

The public policy (`CONTENT_SECURITY_POLICY`) allows no inline script or style: public
pages load their scripts and styles from static files. The admin policy
(`ADMIN_CONTENT_SECURITY_POLICY`) allows inline scripts and styles because Wagtail's admin
writes them (widget set-up scripts, styles its editors inject); README, "Content-Security-Policy".
"""

from csp.middleware import CSPMiddleware
from django.conf import settings


class PathCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin policy under ADMIN_CSP_PREFIXES.

    A view's own `@csp_replace`/`@csp_update` still applies on top; a view that sets a whole
    policy of its own (`@csp_override`) keeps it.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and request.path_info.startswith(settings.ADMIN_CSP_PREFIXES):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY
        return parts
