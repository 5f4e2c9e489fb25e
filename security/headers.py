"""Permissions-Policy on every response: the browser features the portal never uses are off."""

from django.conf import settings

HEADER = "Permissions-Policy"


def permissions_policy(features):
    """The header's value: each feature with an empty allow list, `camera=()`."""
    return ", ".join(f"{feature}=()" for feature in features)


class PermissionsPolicyMiddleware:
    """Outermost but for SecurityMiddleware, so that /healthz and a cached page carry it too."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = permissions_policy(settings.PERMISSIONS_POLICY_DISABLED)

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault(HEADER, self.value)
        return response
