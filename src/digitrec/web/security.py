"""Security headers on every response, and CSRF protection for the page's form posts.

CSRF uses a double-submit token: a random token in a SameSite=Strict, HttpOnly cookie and the same token in a
hidden form field. Another site can make a browser post a form here, but cannot read or set our cookie, so it
cannot send a matching pair. It needs no server-side state, so any worker can check any form.
"""

from __future__ import annotations

import hmac
import secrets

from flask import Flask, Response, g, request
from werkzeug.exceptions import BadRequest

CSRF_COOKIE = "digitrec_csrf"
CSRF_FIELD = "csrf_token"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(self), microphone=(), geolocation=()",
}


class CsrfError(BadRequest):
    """A form post without a matching CSRF token."""

    description = "The form has expired or did not come from this page. Reload the page and try again."


def csrf_token() -> str:
    """The CSRF token for the current visitor (the cookie's, or a new one set on the response)."""
    if "csrf_token" not in g:
        token = request.cookies.get(CSRF_COOKIE, "")
        g.csrf_token = token if len(token) >= 32 else secrets.token_urlsafe(32)
    return g.csrf_token


def check_csrf() -> None:
    """Raise CsrfError unless the form's token matches the cookie's."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    field = request.form.get(CSRF_FIELD, "")
    if not cookie or not field or not hmac.compare_digest(cookie.encode(), field.encode()):
        raise CsrfError()


def _add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if "csrf_token" in g and request.cookies.get(CSRF_COOKIE) != g.csrf_token:
        response.set_cookie(CSRF_COOKIE, g.csrf_token, httponly=True, samesite="Strict", secure=request.is_secure)
    return response


def init_app(app: Flask) -> None:
    """Install the headers on every response and the token helper in templates."""
    app.after_request(_add_headers)
    app.jinja_env.globals["csrf_token"] = csrf_token
