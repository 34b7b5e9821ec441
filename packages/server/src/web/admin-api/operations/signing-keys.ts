/** Signing keys: list (public facts only) and rotate. */
import { z } from 'zod';
import { operation } from '../operation.ts';
import { SIGNING_ALGS } from '../../../keys/types.ts';
import { pageInMemory, pageOf, paginationQuery } from '../pagination.ts';

const SigningKey = z.object({
  kid: z.string(),
  alg: z.enum(SIGNING_ALGS),
  signing: z.boolean().describe('true for the key of its algorithm that signs now'),
  created_at: z.iso.datetime(),
  retired_at: z.iso.datetime().nullable(),
});

export const signingKeyOperations = [
  operation({
    id: 'listSigningKeys',
    method: 'get',
    path: '/signing-keys',
    tag: 'signing keys',
    summary: 'List signing keys, newest first',
    permission: 'signing-keys:read',
    query: z.strictObject(paginationQuery),
    status: 200,
    response: pageOf(SigningKey),
    problems: ['invalid-cursor'],
    async run({ query }, { app }) {
      const keys = await app.keys.list();
      return pageInMemory(keys, query, { arity: 1, of: (k) => [-k.seq] }, (k) => ({
        kid: k.kid,
        alg: k.alg,
        signing: k.signing,
        created_at: k.createdAt.toISOString(),
        retired_at: k.retiredAt?.toISOString() ?? null,
      }));
    },
  }),
  operation({
    id: 'rotateSigningKey',
    method: 'post',
    path: '/signing-keys/rotate',
    tag: 'signing keys',
    summary: 'Rotate the signing keys: a new key of every algorithm in use signs from now on, the previous ones stay published for the overlap',
    permission: 'signing-keys:write',
    status: 201,
    response: z.object({
      kid: z.string().describe('the new RS256 key (ID tokens and RS256 access tokens)'),
      keys: z.array(z.object({ kid: z.string(), alg: z.enum(SIGNING_ALGS) })).describe('the new key of each algorithm in use'),
      retired: z.array(z.string()).describe('the keys that signed until now'),
      overlap_seconds: z.number().int(),
    }),
    async run(_input, { app, operator }) {
      const result = await app.keys.rotate(operator.actor);
      return { kid: result.kid, keys: result.keys, retired: result.retired, overlap_seconds: app.config.keyOverlapSeconds };
    },
  }),
];
