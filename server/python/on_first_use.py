"""
MCP Auth built on the first request instead of at import, so that the server starts while Keycloak
is still down and heals by itself once Keycloak answers (the Node server's on-first-use.ts).

The tutorial writes `MCPAuth(server=fetch_server_config(issuer, type=AuthServerType.OIDC))` at the
top of whoami.py: while Keycloak does not answer, importing whoami.py raises and uvicorn exits. Here
the same call runs on first use; a failure is not kept, so the next request tries again, and
meanwhile the routes that need Keycloak answer 503 with Retry-After instead of mcpauth's 500.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, Literal

from mcpauth import MCPAuth
from mcpauth.exceptions import MCPAuthConfigException
from mcpauth.types import AuthInfo
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

log = logging.getLogger("whoami")


class AuthorizationServerUnavailable(Exception):
    """Keycloak did not answer: not the token's fault (503, not 401)."""


def unavailable() -> JSONResponse:
    body = {"error": "temporarily_unavailable", "error_description": "The authorization server cannot be reached; try again shortly."}
    return JSONResponse(body, status_code=503, headers={"Retry-After": "5"})


class McpAuthOnFirstUse:
    """`MCPAuth(...)`, made by `create` when first needed; `auth_info` works before that (it is None)."""

    def __init__(self, create: Callable[[ContextVar[AuthInfo | None]], MCPAuth]) -> None:
        self._create = create
        # The ContextVar the bearer guard fills and `auth_info` reads, as in MCPAuth.
        self._context_var: ContextVar[AuthInfo | None] = ContextVar("whoami_auth_info", default=None)
        self._instance: MCPAuth | None = None
        self._lock = threading.Lock()

    @property
    def auth_info(self) -> AuthInfo | None:
        return self._context_var.get()

    def get(self) -> MCPAuth:
        """Blocking (it may fetch the issuer's metadata): call it from a worker thread or from sync code."""
        with self._lock:
            if self._instance is None:
                try:
                    self._instance = self._create(self._context_var)
                except MCPAuthConfigException as error:  # the metadata could not be fetched
                    raise AuthorizationServerUnavailable(str(error)) from error
            return self._instance

    async def get_async(self) -> MCPAuth:
        return await run_in_threadpool(self.get)

    def metadata_endpoint(self) -> Callable[[Request], object]:
        """The endpoint of the tutorial's `mcp_auth.metadata_route()`."""

        async def endpoint(request: Request) -> Response:
            try:
                auth = await self.get_async()
            except AuthorizationServerUnavailable as error:
                log.warning("authorization server unavailable: %s", error)
                return unavailable()
            return await auth.metadata_endpoint()(request)

        return endpoint

    def bearer_auth_middleware(self, mode_or_verify: Literal["jwt"] | Callable[[str], AuthInfo], **options: Any) -> Middleware:
        """The tutorial's `Middleware(mcp_auth.bearer_auth_middleware(verify_access_token))`, or spec
        mode's `("jwt", audience=…, required_scopes=…)`."""
        return Middleware(_BearerAuthOnFirstUse, auth=self, mode_or_verify=mode_or_verify, options=options)


class _BearerAuthOnFirstUse:
    def __init__(
        self,
        app: ASGIApp,
        auth: McpAuthOnFirstUse,
        mode_or_verify: Literal["jwt"] | Callable[[str], AuthInfo],
        options: dict[str, Any],
    ) -> None:
        self.app = app
        self.auth = auth
        self.mode_or_verify = mode_or_verify
        self.options = options
        self.guard: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        responded = False

        async def send_tracked(message: dict) -> None:
            nonlocal responded
            responded = responded or message["type"] == "http.response.start"
            await send(message)

        try:
            if self.guard is None:
                auth = await self.auth.get_async()
                self.guard = auth.bearer_auth_middleware(self.mode_or_verify, **self.options)(app=self.app)
            await self.guard(scope, receive, send_tracked)
        except AuthorizationServerUnavailable as error:  # the metadata, or userinfo, did not answer
            if responded:
                raise
            log.warning("authorization server unavailable: %s", error)
            await unavailable()(scope, receive, send)
