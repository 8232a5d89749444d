"""
The Python server's floor: Starlette answering POST /mcp with a fixed JSON-RPC result, no MCP SDK,
no auth, under the same uvicorn as the whoami server (lab/bench/bench-servers.ts starts it).
Run: python -m uvicorn bare_starlette_server:app --app-dir lab/bench --port PORT
"""

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


async def healthz(_: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def mcp(request: Request) -> JSONResponse:
    body = await request.json()
    result = {"content": [{"type": "text", "text": "{}"}]}
    return JSONResponse({"jsonrpc": "2.0", "id": body.get("id"), "result": result})


app = Starlette(routes=[Route("/healthz", healthz, methods=["GET"]), Route("/mcp", mcp, methods=["POST"])])
