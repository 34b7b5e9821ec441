/**
 * `npm run bench:storage-floor` — what keeping a client-credentials token on disk costs at the
 * least, against which the performance targets' overhead ratio (≥ 0.75 of the bare oidc-provider, which keeps its
 * tokens in memory) can be judged. No HTTP, no oidc-provider: the same rows Propusk writes, in
 * batches of `--batch` per commit (the group commit's batches under the client-credentials row are
 * ~30 tokens), on Propusk's own schema and settings (migrations, WAL, synchronous=NORMAL, the
 * checkpoint interval of storage/sqlite-dialect.ts), 100,000 tokens prefilled, three layouts
 * alternating round after round:
 *
 * - `token + audit row`: what Propusk writes per token (oidc_model and its indexes, audit_event);
 * - `token only`: the same without the audit row;
 * - `one table, key only`: about the least a SQL store of tokens can do: one table of id, payload
 *   and expiry, with the one index a lookup by id needs (its primary key). (A `WITHOUT ROWID` table,
 *   the row stored in the key's B-tree, was slower: random ids put every ~0.5 KB row on a random
 *   page.)
 *
 * Each figure is CPU (user + system) per token and includes making its random id and JSON payload,
 * which is also shown alone (the in-memory baseline makes those too). Run it pinned:
 *
 *   taskset -c 1 npm run bench:storage-floor
 *   taskset -c 1 npm run bench:storage-floor -- --batch 10 --rounds 8
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openSqliteFile } from './lib/sqlite-file.ts';
import { WAL_AUTOCHECKPOINT_PAGES } from '../packages/server/src/storage/sqlite-dialect.ts';

const { values } = parseArgs({ options: { batch: { type: 'string', default: '30' }, rounds: { type: 'string', default: '6' }, prefill: { type: 'string', default: '100000' }, tokens: { type: 'string', default: '10000' } } });
const [batch, rounds, prefill, perRound] = [values.batch, values.rounds, values.prefill, values.tokens].map(Number) as [number, number, number, number];
if (![batch, rounds, prefill, perRound].every((n) => Number.isInteger(n) && n > 0)) {
  console.error('--batch, --rounds, --prefill and --tokens take positive integers');
  process.exit(2);
}

/** A client-credentials token as oidc-provider stores it: a random 43-character id and ~0.5 KB of JSON. */
function token(): { id: string; payload: string; now: number } {
  const now = Date.now();
  const id = randomBytes(32).toString('base64url');
  const iat = Math.floor(now / 1000);
  const payload = JSON.stringify({ iat, exp: iat + 86_400, clientId: 'bench.service', kind: 'ClientCredentials', jti: id, scope: 'extern.api', aud: 'urn:propusk:api:extern.api', extra: { note: 'x'.repeat(240) } });
  return { id, payload, now };
}

interface Layout {
  name: string;
  db: DatabaseSync;
  write(): void;
  cpu: number[];
}

const dir = mkdtempSync(join(tmpdir(), 'propusk-storage-floor-'));
const layouts: Layout[] = [];
try {
  const open = (migrated: boolean) => openSqliteFile(join(dir, `${layouts.length}.sqlite`), { migrated, checkpointPages: WAL_AUTOCHECKPOINT_PAGES });
  const propuskRows = (db: DatabaseSync, withAudit: boolean): (() => void) => {
    const insert = db.prepare('INSERT INTO oidc_model (model, id, payload, client_id, expires_at) VALUES (?, ?, ?, ?, ?)');
    const audit: StatementSync = db.prepare('INSERT INTO audit_event (at, type, client_id, outcome, details) VALUES (?, ?, ?, ?, ?)');
    return () => {
      const t = token();
      insert.run('ClientCredentials', t.id, t.payload, 'bench.service', t.now + 86_400_000);
      if (withAudit) audit.run(t.now, 'token.issued', 'bench.service', 'success', '{"grant_type":"client_credentials","scope":"extern.api"}');
    };
  };
  {
    const db = await open(true);
    layouts.push({ name: 'token + audit row', db, write: propuskRows(db, true), cpu: [] });
  }
  {
    const db = await open(true);
    layouts.push({ name: 'token only', db, write: propuskRows(db, false), cpu: [] });
  }
  {
    const db = await open(false);
    db.exec('CREATE TABLE token (id TEXT PRIMARY KEY, payload TEXT NOT NULL, expires_at INTEGER NOT NULL)');
    const insert = db.prepare('INSERT INTO token (id, payload, expires_at) VALUES (?, ?, ?)');
    layouts.push({ name: 'one table, key only', db, write: () => { const t = token(); insert.run(t.id, t.payload, t.now + 86_400_000); }, cpu: [] });
  }

  const issue = (l: Layout, count: number, perCommit: number) => {
    for (let done = 0; done < count; done += perCommit) {
      l.db.exec('BEGIN IMMEDIATE');
      for (let i = 0; i < perCommit; i++) l.write();
      l.db.exec('COMMIT');
    }
  };
  for (const l of layouts) issue(l, prefill, 50);
  const alone: number[] = [];
  console.log(`${prefill.toLocaleString('en')} tokens prefilled per database; ${rounds} rounds of ${perRound.toLocaleString('en')} tokens, ${batch} per commit`);
  for (let round = 0; round < rounds; round++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < perRound; i++) token();
    const c = process.cpuUsage(c0);
    alone.push((c.user + c.system) / perRound);
    for (const l of round % 2 ? [...layouts].reverse() : layouts) {
      const cpu0 = process.cpuUsage();
      issue(l, perRound, batch);
      const cpu = process.cpuUsage(cpu0);
      l.cpu.push((cpu.user + cpu.system) / perRound);
    }
    console.log(`  round ${round + 1}: ${layouts.map((l) => `${l.name} ${l.cpu.at(-1)!.toFixed(1)} µs`).join(', ')}; id and JSON alone ${alone.at(-1)!.toFixed(1)} µs`);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log('\nlayout               CPU µs per token (median), id and JSON included');
  for (const l of layouts) console.log(`${l.name.padEnd(20)} ${median(l.cpu).toFixed(1).padStart(8)}`);
  console.log(`${'id and JSON alone'.padEnd(20)} ${median(alone).toFixed(1).padStart(8)}`);
} finally {
  for (const l of layouts) l.db.close();
  rmSync(dir, { recursive: true, force: true });
}
