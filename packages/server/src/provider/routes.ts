/** IdentityServer-style endpoint paths (docs/api-documentation.md, "Endpoints"). Discovery stays at /.well-known/openid-configuration. */
export const routes = {
  authorization: '/connect/authorize',
  token: '/connect/token',
  jwks: '/.well-known/openid-configuration/jwks',
  introspection: '/connect/introspect',
  revocation: '/connect/revocation',
  userinfo: '/connect/userinfo',
  end_session: '/connect/endsession',
  device_authorization: '/connect/deviceauthorization',
  code_verification: '/device',
  pushed_authorization_request: '/connect/par',
} as const;
