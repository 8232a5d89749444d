/**
 * A `WWW-Authenticate: Bearer …` challenge read the way a client reads it (RFC 6750 §3; RFC 9728
 * §5.1 adds `resource_metadata`): its parameters, each a quoted string or a token.
 */
export interface BearerChallenge {
  error?: string;
  scope?: string;
  resourceMetadata?: string;
  /** Every parameter, by lower-case name. */
  params: Record<string, string>;
}

/** The Bearer challenge of a header, or undefined when it has none. */
export function parseBearerChallenge(header: string | null | undefined): BearerChallenge | undefined {
  const start = header?.search(/(^|[\s,])Bearer(\s|$)/i) ?? -1;
  if (!header || start < 0) return undefined;
  const rest = header.slice(start).replace(/^[\s,]*Bearer/i, '');
  const params: Record<string, string> = {};
  // name="quoted \" value" or name=token, separated by commas; stops at the next scheme.
  const param = /\s*,?\s*([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]+))/y;
  for (let match = param.exec(rest); match; match = param.exec(rest)) {
    params[match[1]!.toLowerCase()] = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3]!;
  }
  return { error: params.error, scope: params.scope, resourceMetadata: params.resource_metadata, params };
}

/** The scopes a `scope` parameter names (space-separated, RFC 6749 §3.3). */
export function scopesOf(scope: string | undefined): string[] {
  return (scope ?? '').split(' ').filter(Boolean);
}
