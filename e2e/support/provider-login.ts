// The tests sign in at the authorization server with the same helpers as `lab check`.
export {
  grantConsent,
  loginHeading,
  loginPages,
  loginPageUrl,
  LoginRefusedError,
  signIn,
  signInAndCaptureCode,
  type Credentials,
  type LoginPages,
} from '../../lab/check/provider-login.ts';
