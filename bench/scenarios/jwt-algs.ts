/** The signing algorithms an API's JWT access tokens may use, and the benchmark API of each. */
export const JWT_ALGS = ['RS256', 'ES256', 'EdDSA'] as const;
export type JwtAlg = (typeof JWT_ALGS)[number];

/** Scope of the benchmark API whose JWT access tokens are signed with `alg`, e.g. `bench.jwt-es256`. */
export const jwtApiScope = (alg: JwtAlg) => `bench.jwt-${alg.toLowerCase()}`;
