import ipaddress

from intake.ratelimit import client_address


def axes_client_address(request):
    """The client address for the lockout's records, which keep it in an IP-address column: None when
    the request has none (a request made in code, as `force_login` makes) rather than a word."""
    address = client_address(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address
