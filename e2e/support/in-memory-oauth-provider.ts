// The tests log in with the same OAuth client hooks as `lab check`.
export { InMemoryOAuthClientProvider, type ClientIdentity } from '../../lab/check/in-memory-oauth-provider.ts';
