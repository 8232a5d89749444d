"""
mcp 1.x's SSE endpoint returns an empty Response once its stream has ended. Behind mcpauth's
bearer guard (a Starlette BaseHTTPMiddleware) that second `http.response.start` becomes an
"AssertionError: Unexpected message" traceback in the log for every closed SSE connection — the
tutorial's own server logs one each time the Inspector disconnects. The client never sees it: its
response was the stream. Dropping the late message here keeps the log to what matters.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class DropLateResponse:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False
        dropping = False

        async def send_first_response_only(message: Message) -> None:
            nonlocal started, dropping
            if message["type"] == "http.response.start":
                if started:
                    dropping = True
                    return
                started = True
            elif dropping:
                return
            await send(message)

        await self.app(scope, receive, send_first_response_only)
