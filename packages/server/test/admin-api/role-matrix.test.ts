/**
 * Role × endpoint: for each role (admin, support, auditor) and for no role, every operation of the
 * served OpenAPI document answers as the role allows: its success status when the role holds the
 * operation's permission, 403 otherwise — and a 403 changes nothing (the domain tables are compared
 * before and after). Every operation must have a sample request below, so a new endpoint cannot
 * escape the matrix.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { startTestServer, type TestServer } from '../support/server.ts';
import { ROLE_PERMISSIONS, type Role } from '../../src/operators/types.ts';
import { api, machineOperator } from './support.ts';
import { SAMPLES, type Sample } from './samples.ts';
import { createTestSchema, describePostgres, type TestSchema } from '../storage/support.ts';

const ROLES_UNDER_TEST: (Role | null)[] = ['admin', 'support', 'auditor', null];

/** The tables whose rows are the state an operator can change. */
const DOMAIN_TABLES = [
  'account',
  'account_totp',
  'account_passkey',
  'account_recovery_code',
  'client',
  'api_key',
  'resource',
  'signing_key',
  'external_link',
  'partner_key',
  'invitation',
  'client_owner',
  'operator_role',
];

function matrix(database: 'SQLite' | 'PostgreSQL'): void {
  let server: TestServer;
  let schema: TestSchema | undefined;
  const tokens = new Map<Role | null, string>();
  let doc: { paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown>; 'x-propusk-permission': string }>> };

  before(async () => {
    if (database === 'PostgreSQL') schema = await createTestSchema();
    server = await startTestServer(schema ? { DATABASE_URL: schema.url } : {});
    for (const role of ROLES_UNDER_TEST) tokens.set(role, (await machineOperator(server.context, server.url, `matrix.${role ?? 'none'}`, role)).token);
    doc = (await api(server.url, null, 'GET', '/openapi.json')).json;
  });
  after(async () => {
    await server.stop();
    await schema?.drop();
  });

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })));

  /** A digest of every domain table's rows. */
  const snapshot = async (): Promise<string> => {
    const hash = createHash('sha256');
    for (const table of DOMAIN_TABLES) {
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(server.context.db);
      hash.update(table);
      for (const row of rows.rows.map((r) => JSON.stringify(r)).sort()) hash.update(row);
    }
    return hash.digest('hex');
  };

  it('has a sample request for every operation', () => {
    const missing = operations().filter(({ op }) => !SAMPLES[op.operationId]).map(({ op }) => op.operationId);
    assert.deepEqual(missing, [], 'operations without a sample in test/admin-api/samples.ts');
  });

  for (const role of ROLES_UNDER_TEST) {
    it(`${role ?? 'no role'}: every operation answers as the role allows, and a 403 changes nothing`, async () => {
      const token = tokens.get(role)!;
      const permissions = new Set<string>(role ? ROLE_PERMISSIONS[role] : []);
      for (const { method, op } of operations()) {
        const sample: Sample = SAMPLES[op.operationId]!;
        const request = await sample({ ctx: server.context, url: server.url, unique: randomBytes(4).toString('hex') });
        const allowed = permissions.has(op['x-propusk-permission']);
        const before = allowed ? undefined : await snapshot();
        const res = await api(server.url, token, method, request.path, request.body);
        const success = Object.keys(op.responses).filter((s) => s.startsWith('2'));
        if (allowed) {
          assert.ok(success.includes(String(res.status)), `${role} ${op.operationId} ${method} ${request.path}: ${res.status} ${res.text.slice(0, 300)}`);
        } else {
          assert.equal(res.status, 403, `${role ?? 'no role'} ${op.operationId}: ${res.text.slice(0, 300)}`);
          assert.equal(res.json.type, 'urn:propusk:problem:forbidden');
          assert.equal(await snapshot(), before, `${role ?? 'no role'} ${op.operationId}: a 403 changed nothing`);
        }
      }
    });
  }
}

describe('management API: role × endpoint matrix (SQLite)', () => matrix('SQLite'));
describePostgres('management API: role × endpoint matrix (PostgreSQL)', () => matrix('PostgreSQL'));
