import { readFileSync } from 'node:fs';
import https from 'node:https';
import { t } from '../../core/messages.ts';
import { assertPortsFree } from '../../core/ports.ts';
import type { Certificate } from './certificate.ts';

/**
 * A client ID metadata document (draft-ietf-oauth-client-id-metadata-document): the client's
 * registration metadata (RFC 7591), published at the URL that is its `client_id`.
 */
export interface ClientIdMetadataDocument {
  client_id: string;
  client_name: string;
  redirect_uris: string[];
  grant_types: string[];
  response_types: string[];
  token_endpoint_auth_method: 'none';
  scope: string;
}

export interface StartedDocumentServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Serves each document at the path of its `client_id`, over HTTPS with the lab's certificate, on
 * 127.0.0.1 (what Keycloak resolves `localhost` to). Anything else is a 404.
 */
export async function startDocumentServer({
  port,
  certificate,
  documents,
}: {
  port: number;
  certificate: Certificate;
  documents: ClientIdMetadataDocument[];
}): Promise<StartedDocumentServer> {
  await assertPortsFree([{ port, what: t('up.port.cimd'), setting: 'CIMD_PORT' }]);
  const byPath = new Map(documents.map((document) => [new URL(document.client_id).pathname, JSON.stringify(document, null, 2)]));
  const server = https.createServer(
    { cert: readFileSync(certificate.certPath), key: readFileSync(certificate.keyPath) },
    (request, response) => {
      const body = request.method === 'GET' ? byPath.get(new URL(request.url ?? '/', 'https://localhost').pathname) : undefined;
      if (body === undefined) {
        response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
        return;
      }
      response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'max-age=300' }).end(body);
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `https://localhost:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
