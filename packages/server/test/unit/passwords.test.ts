// Password hashing: argon2id results, and at most PASSWORD_HASHING_SLOTS hashes at once (the rest
// wait their turn in order, and all of them are answered).
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { setImmediate as tick } from 'node:timers/promises';
import { test } from 'node:test';
import { PASSWORD_HASHING_SLOTS, hashPassword, passwordHashingLoad, verifyPassword } from '../../src/accounts/passwords.ts';

test('argon2id hashes verify their own password only; a missing hash and an overlong password are refused', async () => {
  const hash = await hashPassword('correct horse battery');
  assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  assert.equal(await verifyPassword(hash, 'correct horse battery'), true);
  assert.equal(await verifyPassword(hash, 'correct horse batterY'), false);
  assert.equal(await verifyPassword(undefined, 'correct horse battery'), false);
  assert.equal(await verifyPassword('not a hash', 'correct horse battery'), false);
  assert.equal(await verifyPassword(hash, 'x'.repeat(257)), false);
});

test('one hashing slot per usable CPU (at most 4)', () => {
  assert.equal(PASSWORD_HASHING_SLOTS, Math.max(1, Math.min(availableParallelism(), 4)));
});

test('verifications beyond the slots wait, never run more than the slots at once, and are all answered', async () => {
  const hash = await hashPassword('correct horse battery');
  const total = PASSWORD_HASHING_SLOTS * 3 + 1;
  let highest = 0;
  let done = false;
  const watch = (async () => {
    while (!done) {
      highest = Math.max(highest, passwordHashingLoad().running);
      await tick();
    }
  })();
  const results = Array.from({ length: total }, (_, i) => verifyPassword(hash, i % 2 === 0 ? 'correct horse battery' : 'wrong horse battery'));
  // Every call has reached the queue once the argon2 module is loaded.
  while (passwordHashingLoad().running + passwordHashingLoad().waiting < total) await tick();
  assert.deepEqual(passwordHashingLoad(), { running: PASSWORD_HASHING_SLOTS, waiting: total - PASSWORD_HASHING_SLOTS });
  const answers = await Promise.all(results);
  done = true;
  await watch;
  assert.deepEqual(answers, Array.from({ length: total }, (_, i) => i % 2 === 0));
  assert.equal(highest, PASSWORD_HASHING_SLOTS);
  assert.deepEqual(passwordHashingLoad(), { running: 0, waiting: 0 });
});
