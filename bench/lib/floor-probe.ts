/**
 * Run by floors.ts on the server core (`taskset -c 1 node --import tsx floor-probe.ts`): the CPU
 * cost of the two pieces of work no Propusk code can make cheaper, on this core, at this moment.
 * Prints one JSON line: { rs256Us, es256Us, eddsaUs, argon2idMs }.
 *
 * - An RS256 signature (RSA-2048, PKCS#1 v1.5, SHA-256) of an id_token-sized payload, with
 *   node:crypto's OpenSSL: every refresh rotation and code exchange signs one id_token.
 * - An ES256 (ECDSA P-256, SHA-256) and an EdDSA (Ed25519) signature of the same input: a JWT
 *   access token of an API that chose that algorithm signs one.
 * - An argon2id verification with the server's own parameters (ARGON2_OPTIONS: m=19 MiB, t=2, p=1)
 *   with the same library (@node-rs/argon2): every password sign-in runs one.
 *
 * Both run synchronously on this thread and are timed with its own CPU clock, so neither a second
 * thread nor a wait is counted.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { hashSync, verifySync } from '@node-rs/argon2';
import { ARGON2_OPTIONS } from '../../packages/server/src/accounts/passwords.ts';

/** CPU microseconds of this thread per call of `work`, after `warmup` unmeasured calls. */
function cpuUsPerCall(work: () => void, calls: number, warmup: number): number {
  for (let i = 0; i < warmup; i++) work();
  const start = process.threadCpuUsage();
  for (let i = 0; i < calls; i++) work();
  const used = process.threadCpuUsage(start);
  return (used.user + used.system) / calls;
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
// About the size of the signing input of Propusk's id_tokens (base64url header and claims).
const signingInput = Buffer.from('e'.repeat(40) + '.' + 'x'.repeat(560));
const rs256Us = cpuUsPerCall(() => sign('sha256', signingInput, privateKey), 300, 30);
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
const es256Us = cpuUsPerCall(() => sign('sha256', signingInput, { key: ec, dsaEncoding: 'ieee-p1363' }), 2000, 200);
const ed = generateKeyPairSync('ed25519').privateKey;
const eddsaUs = cpuUsPerCall(() => sign(null, signingInput, ed), 2000, 200);

const password = 'correct horse battery staple';
const stored = hashSync(password, ARGON2_OPTIONS);
const argon2idUs = cpuUsPerCall(() => {
  if (!verifySync(stored, password)) throw new Error('argon2id verification failed');
}, 30, 3);

const us = (v: number) => Math.round(v * 10) / 10;
process.stdout.write(`${JSON.stringify({ rs256Us: Math.round(rs256Us), es256Us: us(es256Us), eddsaUs: us(eddsaUs), argon2idMs: Math.round(argon2idUs / 100) / 10 })}\n`);
