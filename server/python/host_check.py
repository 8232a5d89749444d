"""
DNS rebinding protection (MCP transports, "Security Warning"), before anything else runs, as the
Node server does: the Host header, and the Origin header when a browser sends one, must name one of
the host names this server answers to, on any port. Anything else gets the Node SDK's answer: 403
and a JSON-RPC error.

mcp >= 1.23 has a check of its own inside the transports, but it runs after the bearer guard (a
foreign Host without a token gets 401, with one 421), needs a port in every Host ("localhost"
alone is refused) and answers in plain text; whoami.py turns it off in favour of this one.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from settings import hostname_of


class HostCheck:
    def __init__(self, app: ASGIApp, allowed_hosts: tuple[str, ...]) -> None:
        self.app = app
        self.allowed_hosts = allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        host, origin = headers.get("host"), headers.get("origin")
        refusal = None
        if not host:
            refusal = "Missing Host header"
        elif hostname_of(f"http://{host}") not in self.allowed_hosts:
            refusal = f"Invalid Host: {hostname_of(f'http://{host}') or host}"
        elif origin is not None and hostname_of(origin) not in self.allowed_hosts:
            refusal = f"Invalid Origin: {origin}"
        if refusal is None:
            return await self.app(scope, receive, send)
        body = {"jsonrpc": "2.0", "error": {"code": -32000, "message": refusal}, "id": None}
        await JSONResponse(body, status_code=403)(scope, receive, send)
