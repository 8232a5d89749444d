// The tests sign in at Keycloak with the same helpers as `lab check`.
export { signIn, signInAndCaptureCode, type Credentials } from '../../lab/check/keycloak-login.ts';
