import type { RequestHandler, Router } from 'express';

/** What each auth mode gives the server: a metadata route and the guard for the MCP routes. */
export interface AuthWiring {
  metadataRouter: Router;
  bearerAuth: RequestHandler;
}
