// The tests log in with the same OAuth client hooks as `lab check`.
export { InMemoryOAuthClientProvider } from '../../lab/check/in-memory-oauth-provider.ts';
