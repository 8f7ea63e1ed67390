"""The Content-Security-Policy (settings.SECURE_CSP), with one exception for the desk.

Django's admin and the rich-text editor set style attributes in their markup, so
the desk's pages alone may use inline styles; reader pages may not.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.utils.csp import CSP

DESK_PREFIX = "/admin/"


class PolicyMiddleware(ContentSecurityPolicyMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.path_info.startswith(DESK_PREFIX) and not hasattr(response, "_csp_config"):
            desk = dict(settings.SECURE_CSP)
            desk["style-src"] = [CSP.SELF, CSP.UNSAFE_INLINE]  # no nonce here: it would switch unsafe-inline off
            response._csp_config = desk  # type: ignore[attr-defined]
        return super().process_response(request, response)
