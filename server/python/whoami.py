"""
The whoami MCP server — the tutorial's Python tab (whoami.py), as the lab runs it.

Topology (demo only, plain HTTP on localhost):
  MCP client (Inspector, tests) ──► this server, :3001  ── SSE at GET /sse + POST /messages/
                                                         └─ Streamable HTTP at /mcp (lab addition)
  this server ──► Keycloak, :8080, realm mcp-realm: its metadata, then userinfo for every token
  or the tutorial's other provider tabs (WHOAMI_AUTH_SERVER_TYPE, settings.py):
    OIDC tab:    another OpenID provider, the same calls as Keycloak's
    OAuth 2 tab: an OAuth 2 server: RFC 8414 metadata, then its own user endpoint for every token
                 (WHOAMI_USER_ENDPOINT), and the scope "profile"

Run:  uvicorn whoami:app --port 3001 --timeout-graceful-shutdown 3
      in this folder, in a virtual environment with requirements.lock installed (docs/python.md);
      settings from the environment (settings.py), whose defaults are the tutorial's.
      `WHOAMI_SDK=python npm run lab` does all of that for you.

The tutorial's provider tabs, and which one WHOAMI_AUTH_SERVER_TYPE picks:
  - "oidc", the Keycloak tab (the default, with Keycloak's issuer) and the OIDC tab (another issuer,
    nothing else changes): `fetch_server_config(auth_issuer, type=AuthServerType.OIDC)`, and
    verify_access_token asks the metadata's userinfo endpoint, with the metadata's issuer.
  - "oauth", the OAuth 2 tab: `fetch_server_config(auth_issuer, type=AuthServerType.OAUTH)` (RFC 8414
    metadata, which names no userinfo endpoint), and verify_access_token asks the provider's own
    user endpoint (GitHub's /user; the tab's fixed URL, here WHOAMI_USER_ENDPOINT), with
    `auth_issuer`.

Two modes (AUTH_MODE, settings.py):
  - tutorial: the tutorial's userinfo (or user endpoint) check, below.
  - spec (lab addition g): access tokens are JWTs checked here with mcpauth's own JWT mode, against
    the authorization server's published keys: signature, issuer, audience (this server's URL, RFC
    8707) and the scope whoami needs (403 without it); the protected resource metadata asks for
    that scope. Nothing is sent back to the authorization server per request. mcpauth 0.1.1 has no
    WWW-Authenticate challenge, so clients find the metadata at its well-known URL (the Node
    server's spec mode names it in the challenge too).

What differs from the tutorial's code, and why:
  - The packages are pinned (pyproject.toml, requirements.lock): the tutorial's unpinned install
    gets mcp 2.x today, which has no `mcp.server.fastmcp` (docs/tutorial-drift.md).
  - The issuer (and the OAuth 2 tab's user endpoint) comes from the environment, and MCP Auth is
    set up on the first request instead of at import (on_first_use.py): the server starts while
    Keycloak is down and heals by itself; meanwhile it answers 503, not mcpauth's 500 (or, in the
    tutorial, does not start at all).
  - verify_access_token gives up on userinfo (or the user endpoint) after 10 s, and tells "the
    authorization server did not answer" (503) from "it refused the token" (401). The tutorial
    waits forever, and calls both 401.
  - `Middleware` is imported: the tutorial's "Update MCP server" step uses it without an import.
Lab additions, each marked "Lab addition" below:
  a. Protected resource metadata (RFC 9728), outside the bearer guard. Today's clients (MCP
     Inspector 2.x, the MCP SDKs) look for it first to find the authorization server and the
     scopes to ask for (the tabs' "openid profile email", or the OAuth 2 tab's "profile").
  b. Streamable HTTP at /mcp beside SSE, stateless like the Node server, behind the same guard;
     it needs the session manager's lifespan on the outer app.
  c. Host and Origin checked before anything else (host_check.py): 403 for a name the server does
     not answer to. The allowed names are a setting, so docker compose and a classroom's
     LAB_PUBLIC_HOST work (mcp >= 1.23 answers 421 to any Host but localhost by default).
  d. GET /healthz: {"status": "ok", "sdk": "python", "mode": "tutorial", "issuer": ...}.
  e. Settings from the same environment variables as the Node server (settings.py).
  f. A closed SSE connection logs no traceback (late_response.py).
  g. Spec mode (above).
"""

import logging
import os
import sys
from contextvars import ContextVar
from typing import Any
from urllib.parse import urlsplit

import pydantic
import requests
from mcp.server.fastmcp import FastMCP
from mcp.server.transport_security import TransportSecuritySettings
from mcpauth import MCPAuth
from mcpauth.config import AuthServerType, ServerMetadataPaths
from mcpauth.exceptions import (
    MCPAuthTokenVerificationException,
    MCPAuthTokenVerificationExceptionCode,
)
from mcpauth.types import AuthInfo
from mcpauth.utils import fetch_server_config_by_well_known_url
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from host_check import HostCheck
from late_response import DropLateResponse
from on_first_use import AuthorizationServerUnavailable, McpAuthOnFirstUse
from settings import SettingsError, read_settings

log = logging.getLogger("whoami")

# 1. Settings (lab addition e). A setting the server cannot run with is one line and exit code 1.
try:
    settings = read_settings(os.environ)
except SettingsError as error:
    sys.exit(f"whoami: {error}")

# For the protected resource metadata (lab addition a): what the tutorial has the Inspector ask for,
# "openid profile email"; the OAuth 2 tab's "profile"; in spec mode (lab addition g) the scope
# whoami needs.
if settings.mode == "spec":
    SCOPES = [settings.scope]
elif settings.auth_server_type == "oauth":
    SCOPES = ["profile"]
else:
    SCOPES = ["openid", "profile", "email"]

# 2. The MCP server and its one tool, as in the tutorial. Stateless Streamable HTTP (lab addition
#    b). The SDK's own Host check is off: host_check.py does it, earlier (lab addition c).
mcp = FastMCP(
    "WhoAmI",
    stateless_http=True,
    transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
)
# FastMCP logs through Rich, which wraps every line at 80 columns in a log file: plain lines instead.
logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(name)s: %(message)s", force=True)


@mcp.tool()
def whoami() -> dict[str, Any]:
    """A tool that returns the current user's information."""
    return (
        mcp_auth.auth_info.claims
        if mcp_auth.auth_info  # set by the bearer auth middleware
        else {"error": "Not authenticated"}
    )


# 3. MCP Auth. The tutorial: `mcp_auth = MCPAuth(server=fetch_server_config(auth_issuer,
#    type=AuthServerType.OIDC))` at import (the OAuth 2 tab: `type=AuthServerType.OAUTH`). Here the
#    same document, fetched from where this process reaches the authorization server (only in docker
#    compose does that differ from the issuer), on first use. Where fetch_server_config looks:
#    OpenID Connect Discovery appends its path to the issuer; RFC 8414 §3.1 puts its own between the
#    issuer's origin and path.
def set_up_mcp_auth(context_var: ContextVar[AuthInfo | None]) -> MCPAuth:
    if settings.auth_server_type == "oauth":
        issuer = urlsplit(settings.issuer_backchannel)
        config = fetch_server_config_by_well_known_url(
            f"{issuer.scheme}://{issuer.netloc}/.well-known/oauth-authorization-server{issuer.path.rstrip('/')}",
            type=AuthServerType.OAUTH,
        )
    else:
        config = fetch_server_config_by_well_known_url(
            f"{settings.issuer_backchannel}/.well-known/openid-configuration", type=AuthServerType.OIDC
        )
    if config.metadata.issuer != settings.issuer:
        log.warning("the authorization server says its issuer is %s, but WHOAMI_ISSUER is %s", config.metadata.issuer, settings.issuer)
    return MCPAuth(server=config, context_var=context_var)


mcp_auth = McpAuthOnFirstUse(set_up_mcp_auth)


def verify_access_token(token: str) -> AuthInfo:
    """The tutorial's verifier: ask the authorization server who the token belongs to.

    The Keycloak and OIDC tabs ask the userinfo endpoint of the metadata, and take its issuer; the
    OAuth 2 tab asks the provider's own user endpoint, and takes `auth_issuer` (ours: the setting).
    mcpauth 0.1.1 calls it without `await`, on the event loop: it must be a plain function, and
    the timeout bounds how long a hanging authorization server can stall the server.
    """
    if settings.auth_server_type == "oauth":
        issuer = settings.issuer
        endpoint = settings.user_endpoint  # the provider's own user endpoint (GitHub's /user)
    else:
        metadata = mcp_auth.get().server.metadata
        issuer = metadata.issuer
        endpoint = metadata.userinfo_endpoint  # the provider should support the userinfo endpoint
    if not endpoint:
        raise ValueError("Userinfo endpoint is not configured in the auth server metadata.")

    try:
        response = requests.get(
            endpoint,
            headers={"Authorization": f"Bearer {token}"},  # standard Bearer token header
            timeout=10,
        )
        response.raise_for_status()  # the authorization server refused the token: 401 below
        json = response.json()
        return AuthInfo(
            token=token,
            subject=json.get("sub"),  # 'sub' is the standard claim for the user's ID
            issuer=issuer,  # the issuer from the metadata (the OAuth 2 tab: auth_issuer)
            claims=json,  # every claim the userinfo (or user) endpoint returned
        )
    except (requests.ConnectionError, requests.Timeout) as e:  # the authorization server did not answer: 503
        raise AuthorizationServerUnavailable(str(e)) from e
    except pydantic.ValidationError as e:
        raise MCPAuthTokenVerificationException(MCPAuthTokenVerificationExceptionCode.INVALID_TOKEN, cause=e)
    except Exception as e:
        raise MCPAuthTokenVerificationException(MCPAuthTokenVerificationExceptionCode.TOKEN_VERIFICATION_FAILED, cause=e)


# 4. Routes outside the bearer guard.
async def healthz(_: Request) -> JSONResponse:
    # Lab addition d: `lab doctor` and the lab's readiness wait read it.
    return JSONResponse({"status": "ok", "sdk": "python", "mode": settings.mode, "issuer": settings.issuer})


async def protected_resource_metadata(request: Request) -> Response:
    # Lab addition a (RFC 9728): fixed text, so it is served even while the authorization server is
    # down; the same document as the Node server's tutorial mode. A browser client fetches it
    # cross-origin.
    cors = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, OPTIONS", "Access-Control-Allow-Headers": "*"}
    if request.method == "OPTIONS":
        return Response(status_code=204, headers=cors)
    body = {"resource": settings.url, "authorization_servers": [settings.issuer], "scopes_supported": SCOPES}
    return JSONResponse(body, headers=cors)


async def no_such_metadata(_: Request) -> JSONResponse:
    # Clients ask for /.well-known/oauth-protected-resource/sse (or /mcp) first: 404, not the guard's 401.
    return JSONResponse({"error": "not_found"}, status_code=404)


# 5. The app: the tutorial's metadata route and its bearer-guarded Mount('/'), with SSE and (lab
#    addition b) Streamable HTTP behind the one guard.
bearer_auth = (
    # Lab addition g: the JWT checked here, for this server (audience) and with whoami's scope.
    mcp_auth.bearer_auth_middleware("jwt", audience=settings.url, required_scopes=[settings.scope])
    if settings.mode == "spec"
    else mcp_auth.bearer_auth_middleware(verify_access_token)
)
mcp_routes = Starlette(routes=[*mcp.sse_app().routes, *mcp.streamable_http_app().routes])

app = Starlette(
    routes=[
        Route("/healthz", healthz, methods=["GET"]),
        Route("/.well-known/oauth-protected-resource", protected_resource_metadata, methods=["GET", "OPTIONS"]),
        # The tutorial's mcp_auth.metadata_route(): the authorization server's metadata at
        # /.well-known/oauth-authorization-server.
        Route(ServerMetadataPaths.OAUTH.value, mcp_auth.metadata_endpoint(), methods=["GET", "OPTIONS"]),
        Route("/.well-known/{rest:path}", no_such_metadata),
        Mount("/", app=DropLateResponse(mcp_routes), middleware=[bearer_auth]),
    ],
    middleware=[Middleware(HostCheck, allowed_hosts=settings.allowed_hosts)],
    # Without the session manager running, /mcp fails: "Task group is not initialized".
    lifespan=lambda _app: mcp.session_manager.run(),
)
