# "Set up MCP Auth", OIDC tab (Keycloak), written by the lab: the tutorial's page includes this part
# from another file (<SetupOidc />), which is not in the lab's copy of the page. It calls what the
# step describes for the Python tab: MCPAuth(server=fetch_server_config(issuer, type=OIDC)) and a
# verify_access_token that GETs the metadata's userinfo endpoint and raises
# MCPAuthTokenVerificationException when that fails. The learner replaces the issuer placeholder.
from mcpauth import MCPAuth
from mcpauth.config import AuthServerType
from mcpauth.utils import fetch_server_config

auth_issuer = '<issuer-endpoint>'  # the issuer of the Keycloak realm
auth_server_config = fetch_server_config(auth_issuer, type=AuthServerType.OIDC)
mcp_auth = MCPAuth(server=auth_server_config)

import pydantic
import requests
from mcpauth.exceptions import (
    MCPAuthTokenVerificationException,
    MCPAuthTokenVerificationExceptionCode,
)
from mcpauth.types import AuthInfo

def verify_access_token(token: str) -> AuthInfo:
    # Ask the userinfo endpoint who the token belongs to; anything but an answer with claims fails.
    issuer = auth_server_config.metadata.issuer
    endpoint = auth_server_config.metadata.userinfo_endpoint
    if not endpoint:
        raise ValueError("The authorization server's metadata has no userinfo endpoint.")

    try:
        response = requests.get(endpoint, headers={"Authorization": f"Bearer {token}"})
        response.raise_for_status()
        json = response.json()
        return AuthInfo(token=token, subject=json.get("sub"), issuer=issuer, claims=json)
    except pydantic.ValidationError as e:
        raise MCPAuthTokenVerificationException(
            MCPAuthTokenVerificationExceptionCode.INVALID_TOKEN, cause=e
        )
    except Exception as e:
        raise MCPAuthTokenVerificationException(
            MCPAuthTokenVerificationExceptionCode.TOKEN_VERIFICATION_FAILED, cause=e
        )
