/**
 * Password hashing with argon2id at OWASP's minimum (m=19 MiB, t=2, p=1). @node-rs/argon2 hashes on
 * libuv's thread pool, so a login storm does not block the event loop.
 *
 * At most one hash per CPU this process may run on (`os.availableParallelism()`, which follows the
 * CPU affinity, e.g. `taskset`) runs at a time; the others wait their turn in order. More hashes
 * than cores only take turns on the same cores, each holding its own 19 MiB: on one core, four at
 * once cost 17–19 ms of CPU each against ~14.5 ms one at a time in isolation, and the bench's
 * sign-in row peaked ~45 MiB lower with the limit (bench/README.md, fourth round). It also leaves
 * libuv's other threads free for RSA signatures and file work during a login storm.
 *
 * The native module is loaded on the first hash or verification, not at start: a token-serving
 * instance may never see a password, and loading it costs ~2.5 MiB of resident memory. The first
 * sign-in pays a few milliseconds once.
 */
import { availableParallelism } from 'node:os';
import type * as Argon2 from '@node-rs/argon2';

let argon2: Promise<typeof Argon2> | undefined;
const loadArgon2 = (): Promise<typeof Argon2> => (argon2 ??= import('@node-rs/argon2'));

/** @node-rs/argon2's `Algorithm.Argon2id` (a const enum, which verbatimModuleSyntax cannot import). */
const ARGON2ID = 2;

export const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Minimum password length accepted when setting a password. */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;

/** Hashes and verifications that may run at once: one per usable CPU, at most libuv's default pool of 4 threads. */
export const PASSWORD_HASHING_SLOTS = Math.max(1, Math.min(availableParallelism(), 4));

let running = 0;
const waiting: Array<() => void> = [];

/** Hashes and verifications running now and waiting for a slot (the `propusk_password_hashing` gauge). */
export function passwordHashingLoad(): { running: number; waiting: number } {
  return { running, waiting: waiting.length };
}

/** Runs `work` when a hashing slot is free (first come, first served). */
async function inSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= PASSWORD_HASHING_SLOTS) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await work();
  } finally {
    // The slot passes straight to the next waiter (`running` stays), or is given back.
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

export async function hashPassword(password: string): Promise<string> {
  const { hash } = await loadArgon2();
  return inSlot(() => hash(password, ARGON2_OPTIONS));
}

/** A hash of a random password, verified against when the account does not exist so both paths cost the same. */
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  const { verify } = await loadArgon2();
  if (!passwordHash) {
    dummyHash ??= hashPassword(crypto.randomUUID());
    const dummy = await dummyHash;
    await inSlot(() => verify(dummy, password)).catch(() => false);
    return false;
  }
  return inSlot(() => verify(passwordHash, password)).catch(() => false);
}
