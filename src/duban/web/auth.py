"""Sign-in providers. Password is built in; a bureau's SSO (CAS, OAuth2) plugs in as another provider.

A provider turns a request into an Actor; everything after that (session, cookie, idle timeout,
CSRF, audit) is shared. A redirect-based provider implements `begin` (send the browser to the
identity server) and `complete` (verify the ticket/code on the callback); register it in PROVIDERS
and enable it with `[web] login_providers` in duban.toml.
"""

from __future__ import annotations

from typing import Protocol

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from duban.ledger.users import Actor, authenticate


class RedirectProvider(Protocol):
    """An SSO provider: CAS (ticket) or OAuth2/OIDC (code)."""

    name: str
    label: str  # button text on the login page, e.g. "统一身份认证登录"

    def begin(self, request: Request) -> Response: ...

    def complete(self, request: Request, session: Session) -> Actor:
        """Verify the callback and map the external identity to a duban user (raise PermissionDenied)."""
        ...


class PasswordProvider:
    """Username and password against the users table (argon2, lockout after repeated failures)."""

    name = "password"
    label = "用户名密码登录"

    def authenticate(self, session: Session, *, username: str, password: str, client: str = "") -> Actor:
        """`client`: the client's address, throttled like the account name."""
        return authenticate(session, username=username.strip(), password=password, client=client).actor


PASSWORD = PasswordProvider()
PROVIDERS: dict[str, RedirectProvider] = {}  # name -> SSO provider; none shipped yet
