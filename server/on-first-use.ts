import type { RequestHandler } from 'express';

/**
 * `create` runs on the first call and its result is kept; a failure is not kept, so the next call
 * tries again. This is how the server starts while Keycloak is still down, and heals by itself
 * once Keycloak answers.
 */
export function onFirstUse<T>(create: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= create().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

/**
 * A request handler built on the first request. A failed build goes to `next(error)`; what the
 * built handler throws or rejects with is returned to the caller (Express 5 handles both).
 */
export function deferredHandler(build: () => Promise<RequestHandler>): RequestHandler {
  const handler = onFirstUse(build);
  return (request, response, next) => handler().then((ready) => ready(request, response, next), next);
}
