"""The Content-Security-Policy every response carries (see SECURITY.md).

Scripts and styles come only from the site's own origin, as files; frames
only from the players' hosts; nothing may frame the site. The policy is a
second wall behind the sanitiser: if markup ever slipped through it, the
browser would still refuse to run it.
"""

from django.conf import settings


def content_security_policy():
    frames = " ".join(f"https://{host}" for host in settings.PLAYER_HOSTS)
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' https:",
        "media-src": "'self' https:",
        "frame-src": frames,
        "object-src": "'none'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = content_security_policy()

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.policy)
        return response


def client_address(request):
    """The reader's address: the connection's, or the one the trusted proxies in front of us saw.

    With PROXY_COUNT proxies in front (a load balancer, a CDN), X-Forwarded-For
    ends with the addresses they added; the one before those is the client's.
    Anything earlier in the header was written by the client and is not believed.
    """
    if settings.PROXY_COUNT:
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
        if len(forwarded) >= settings.PROXY_COUNT and forwarded[-settings.PROXY_COUNT]:
            return forwarded[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR", "")
