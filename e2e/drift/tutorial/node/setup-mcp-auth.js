// "Set up MCP Auth", OIDC tab (Keycloak), written by the lab: the tutorial's page includes this part
// from another file (<SetupOidc />), which is not in the lab's copy of the page. It calls what the
// step describes for the Node.js tab: new MCPAuth({ server: await fetchServerConfig(issuer,
// { type: 'oidc' }) }) and a verifyToken that GETs the metadata's userinfo endpoint and throws
// MCPAuthTokenVerificationError when that fails. The learner replaces the issuer placeholder.
import { MCPAuth, MCPAuthTokenVerificationError, fetchServerConfig } from 'mcp-auth';

const authIssuer = '<issuer-endpoint>'; // the issuer of the Keycloak realm
const mcpAuth = new MCPAuth({
  server: await fetchServerConfig(authIssuer, { type: 'oidc' }),
});

// Ask the userinfo endpoint who the token belongs to; anything but an answer with `sub` fails.
const verifyToken = async (token) => {
  const { issuer, userinfoEndpoint } = mcpAuth.config.server.metadata;
  if (!userinfoEndpoint) {
    throw new Error("The authorization server's metadata has no userinfo endpoint");
  }

  const response = await fetch(userinfoEndpoint, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) {
    throw new MCPAuthTokenVerificationError('token_verification_failed', response);
  }
  const userInfo = await response.json();
  if (typeof userInfo !== 'object' || userInfo === null || !('sub' in userInfo)) {
    throw new MCPAuthTokenVerificationError('invalid_token', response);
  }
  return {
    token,
    issuer,
    subject: String(userInfo.sub),
    clientId: '',
    scopes: [],
    claims: userInfo,
  };
};
