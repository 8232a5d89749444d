import type { LabConfig } from '../../core/config.ts';
import { clientDocument, inspectorClientDocument } from '../../lab/cimd/client-documents.ts';
import type { ClientIdMetadataDocument } from '../../lab/cimd/document-server.ts';

/** The MCP SDK client's document: the tests' redirect URI, which Playwright catches. */
export function sdkClientDocumentUrl(lab: LabConfig): string {
  return `${lab.cimd.url}/clients/mcp-auth-lab-e2e.json`;
}

/** What global-setup's document server serves: the Inspector's document and the SDK client's. */
export function cimdTestDocuments(lab: LabConfig): ClientIdMetadataDocument[] {
  return [inspectorClientDocument(lab), clientDocument(sdkClientDocumentUrl(lab), 'MCP Auth Lab e2e', [lab.client.testRedirectUri], lab)];
}
