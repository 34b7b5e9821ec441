/**
 * `npm run bench:checkpoints` — the storage cost of a token against SQLite's WAL checkpoint
 * interval (`PRAGMA wal_autocheckpoint`, storage/sqlite-dialect.ts), without HTTP or oidc-provider:
 * one database per setting, migrated with Propusk's own migrations and opened with its settings
 * (WAL, synchronous=NORMAL), prefilled with tokens, then rounds of client-credentials rows, each
 * with its `token.issued` audit row, committed in batches as the group commit does. The settings
 * run alternately, round after round, so that a host that slows down slows them all. Reported: CPU
 * (user + system, this process) and wall time per token, and the slowest commits (a commit that
 * runs a checkpoint holds the event loop that long); run it pinned (`taskset -c 1`).
 *
 *   npm run bench:checkpoints
 *   npm run bench:checkpoints -- --pages 1000,4000,8000,16000 --rounds 6 --prefill 60000 --batch 10
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openSqliteFile } from './lib/sqlite-file.ts';

const { values } = parseArgs({
  options: {
    pages: { type: 'string', default: '1000,8000' },
    rounds: { type: 'string', default: '8' },
    prefill: { type: 'string', default: '100000' },
    batch: { type: 'string', default: '10' },
    tokens: { type: 'string', default: '10000' },
  },
});
const settings = values.pages.split(',').map(Number);
const [rounds, prefill, batch, perRound] = [values.rounds, values.prefill, values.batch, values.tokens].map(Number) as [number, number, number, number];
if (settings.some((n) => !Number.isInteger(n) || n < 1) || ![rounds, prefill, batch, perRound].every((n) => Number.isInteger(n) && n > 0)) {
  console.error('--pages takes positive integers separated by commas; --rounds, --prefill, --batch and --tokens positive integers');
  process.exit(2);
}

interface Target {
  pages: number;
  db: DatabaseSync;
  token: StatementSync;
  audit: StatementSync;
  cpu: number[];
  wall: number[];
  /** The longest commits seen (ms): a commit that runs a checkpoint holds the event loop that long. */
  slowest: number[];
}

const dir = mkdtempSync(join(tmpdir(), 'propusk-checkpoints-'));
const targets: Target[] = [];
try {
  for (const pages of settings) {
    const file = join(dir, `wal-${pages}.sqlite`);
    const db = await openSqliteFile(file, { migrated: true, checkpointPages: pages });
    targets.push({
      pages,
      db,
      token: db.prepare('INSERT INTO oidc_model (model, id, payload, client_id, expires_at) VALUES (?, ?, ?, ?, ?)'),
      audit: db.prepare('INSERT INTO audit_event (at, type, client_id, outcome, details) VALUES (?, ?, ?, ?, ?)'),
      cpu: [],
      wall: [],
      slowest: [],
    });
  }

  /** A client-credentials token as oidc-provider stores it (random 43-character id, ~0.5 KB of JSON), and its audit row. */
  const issue = (t: Target, count: number, perCommit: number) => {
    for (let done = 0; done < count; done += perCommit) {
      t.db.exec('BEGIN IMMEDIATE');
      for (let i = 0; i < perCommit; i++) {
        const now = Date.now();
        const id = randomBytes(32).toString('base64url');
        const payload = JSON.stringify({ iat: Math.floor(now / 1000), exp: Math.floor(now / 1000) + 86400, clientId: 'bench.service', kind: 'ClientCredentials', jti: id, scope: 'extern.api', aud: 'urn:propusk:api:extern.api', extra: { note: 'x'.repeat(240) } });
        t.token.run('ClientCredentials', id, payload, 'bench.service', now + 86_400_000);
        t.audit.run(now, 'token.issued', 'bench.service', 'success', '{"grant_type":"client_credentials","scope":"extern.api"}');
      }
      const c0 = performance.now();
      t.db.exec('COMMIT');
      t.slowest.push(performance.now() - c0);
      if (t.slowest.length > 64) t.slowest = t.slowest.sort((a, b) => b - a).slice(0, 32);
    }
  };

  for (const t of targets) issue(t, prefill, 50);
  for (const t of targets) t.slowest = [];
  console.log(`${prefill.toLocaleString('en')} tokens prefilled per database; ${rounds} rounds of ${perRound.toLocaleString('en')} tokens, ${batch} per commit`);
  for (let round = 0; round < rounds; round++) {
    for (const t of round % 2 ? [...targets].reverse() : targets) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      issue(t, perRound, batch);
      const cpu = process.cpuUsage(cpu0);
      const wall = (performance.now() - t0) * 1000;
      t.cpu.push((cpu.user + cpu.system) / perRound);
      t.wall.push(wall / perRound);
      console.log(`  round ${round + 1}, checkpoint every ${t.pages} pages: ${t.cpu.at(-1)!.toFixed(1)} µs CPU (user ${(cpu.user / perRound).toFixed(1)}, system ${(cpu.system / perRound).toFixed(1)}), ${t.wall.at(-1)!.toFixed(1)} µs wall per token`);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log('\ncheckpoint every  CPU µs/token (median)  wall µs/token (median)  slowest commits (ms)');
  for (const t of targets) {
    const slowest = [...t.slowest].sort((a, b) => b - a).slice(0, 3).map((ms) => ms.toFixed(1)).join(', ');
    console.log(`${String(t.pages).padStart(10)} pages  ${median(t.cpu).toFixed(1).padStart(20)}  ${median(t.wall).toFixed(1).padStart(22)}  ${slowest}`);
  }
} finally {
  for (const t of targets) t.db.close();
  rmSync(dir, { recursive: true, force: true });
}
