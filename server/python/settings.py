"""
What the whoami server needs to know, read from its environment: the same variables, with the same
defaults, as the Node server's server/settings.ts (the lab sets them from core/config.ts,
whoamiServerEnv; so does docker-compose.yml). The defaults are the tutorial's own values.

Where the server listens (host and port) is uvicorn's business: `uvicorn whoami:app --port 3001`,
as in the tutorial. WHOAMI_PORT only completes the default WHOAMI_URL here.

Which mode (see whoami.py):
  AUTH_MODE                "tutorial" (default): the tutorial's userinfo check. "spec": JWTs
                           checked here (signature, issuer, audience = WHOAMI_URL, WHOAMI_SCOPE),
                           "oidc" only.
  WHOAMI_SCOPE             "spec" only: the scope whoami needs (default "mcp:whoami").

Which of the tutorial's provider tabs the server follows (see whoami.py):
  WHOAMI_AUTH_SERVER_TYPE  "oidc" (default): the Keycloak and OIDC tabs, OpenID discovery and
                           userinfo. "oauth": the OAuth 2 tab, RFC 8414 metadata and the
                           provider's own user endpoint. Anything else stops the server.
  WHOAMI_USER_ENDPOINT     "oauth" only, and required there: that user endpoint (GitHub's /user),
                           e.g. http://localhost:8082/user. Ignored for "oidc".
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit


class SettingsError(Exception):
    """A setting this server cannot run with; main() prints it as one line."""


@dataclass(frozen=True)
class Settings:
    # Where clients reach this server; also its resource identifier (RFC 8707, RFC 9728).
    url: str
    # The issuer tokens carry, e.g. http://localhost:8080/realms/mcp-realm.
    issuer: str
    # The same realm as this process reaches it (differs only when a proxy or container is between).
    issuer_backchannel: str
    # Host names this server answers to; any other Host or Origin is refused (DNS rebinding).
    allowed_hosts: tuple[str, ...]
    # "tutorial" or "spec" (see whoami.py and docs/python.md).
    mode: str = "tutorial"
    # "spec" only: the scope whoami needs, e.g. mcp:whoami.
    scope: str = "mcp:whoami"
    # "oidc" (the Keycloak and OIDC tabs) or "oauth" (the OAuth 2 tab).
    auth_server_type: str = "oidc"
    # "oauth" only: the provider's endpoint that says who a token belongs to, e.g. http://localhost:8082/user.
    user_endpoint: str | None = None


def read_settings(env: os._Environ[str] | dict[str, str]) -> Settings:
    raw_port = env.get("WHOAMI_PORT") or "3001"
    if not raw_port.isdigit() or not 1 <= int(raw_port) <= 65535:
        raise SettingsError(f'WHOAMI_PORT must be a port number, got "{raw_port}"')
    mode = env.get("AUTH_MODE") or "tutorial"
    if mode not in ("tutorial", "spec"):
        raise SettingsError(f'AUTH_MODE must be "tutorial" or "spec", got "{mode}"')
    auth_server_type = env.get("WHOAMI_AUTH_SERVER_TYPE") or "oidc"
    if auth_server_type not in ("oidc", "oauth"):
        raise SettingsError(f'WHOAMI_AUTH_SERVER_TYPE must be "oidc" or "oauth", got "{auth_server_type}"')
    if mode == "spec" and auth_server_type == "oauth":
        raise SettingsError("AUTH_MODE=spec checks JWTs against an OpenID provider's keys: it needs WHOAMI_AUTH_SERVER_TYPE=oidc")
    user_endpoint = env.get("WHOAMI_USER_ENDPOINT") if auth_server_type == "oauth" else None  # ignored for oidc
    if auth_server_type == "oauth" and not user_endpoint:
        raise SettingsError(
            "WHOAMI_AUTH_SERVER_TYPE=oauth needs WHOAMI_USER_ENDPOINT, the provider's user endpoint, e.g. http://localhost:8082/user"
        )
    if user_endpoint and not is_http_url(user_endpoint):
        raise SettingsError(f'WHOAMI_USER_ENDPOINT must be an http or https URL, got "{user_endpoint}"')
    url = (env.get("WHOAMI_URL") or f"http://localhost:{raw_port}").rstrip("/")
    issuer = (env.get("WHOAMI_ISSUER") or "http://localhost:8080/realms/mcp-realm").rstrip("/")
    listed = [host.strip() for host in (env.get("WHOAMI_ALLOWED_HOSTS") or "localhost,127.0.0.1,[::1]").split(",")]
    return Settings(
        url=url,
        issuer=issuer,
        issuer_backchannel=(env.get("WHOAMI_ISSUER_BACKCHANNEL") or issuer).rstrip("/"),
        allowed_hosts=tuple(dict.fromkeys([*filter(None, listed), hostname_of(url) or "localhost"])),
        mode=mode,
        scope=env.get("WHOAMI_SCOPE") or "mcp:whoami",
        auth_server_type=auth_server_type,
        user_endpoint=user_endpoint,
    )


def is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def hostname_of(url: str) -> str | None:
    """The host name of a URL, IPv6 literals in brackets as in a Host header: "[::1]"."""
    try:
        name = urlsplit(url).hostname
    except ValueError:
        return None
    if name is None:
        return None
    return f"[{name}]" if ":" in name else name
