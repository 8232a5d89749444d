import type { RequestHandler } from 'express';

/** What each auth mode gives the server: a metadata route, the guard for the MCP routes, and what its challenges name. */
export interface AuthWiring {
  metadataRouter: RequestHandler;
  bearerAuth: RequestHandler;
  challenge: Challenge;
}

/** The parameters every `WWW-Authenticate: Bearer` challenge of this server carries, when the mode has them. */
export interface Challenge {
  /** RFC 9728 §5.1: where a client finds the protected resource metadata. */
  resourceMetadataUrl?: string;
  /** RFC 6750 §3, MCP 2025-11-25: the scope a token needs here. */
  scope?: string;
}
