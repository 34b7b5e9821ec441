/**
 * The admin CLI explains itself: `propusk admin <group> --help` lists the group's commands; every
 * command's `--help` describes each argument and flag and shows examples that its own parser
 * accepts; a misspelled group, command or flag gets "did you mean …?" with no parser wording. And
 * the operator conveniences: `--grant-types` short names, `client create --no-key` for the
 * invitation workflow, `client list` without the APIs' introspection clients (unless `--all`) in
 * 100 columns, `api_key` as the secret's one name in JSON, `user create --email-verified` and
 * `user update` (SQLite, and PostgreSQL).
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { runCli, startTestServer, type TestServer } from '../support/server.ts';
import { commands, groups, runAdmin } from '../../src/admin/index.ts';
import { COMMON_OPTIONS, parse, type CommandOption } from '../../src/admin/command.ts';
import { createTestSchema, describePostgres } from '../storage/support.ts';

/** Runs `propusk admin …` in this process (help needs no database); returns the exit code and what went to stdout. */
async function inProcess(args: string[]): Promise<{ code: number; stdout: string }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const code = await runAdmin(args, { stdout: out, stdin: new PassThrough() }, { DATABASE_URL: 'sqlite:/nonexistent/never-opened.sqlite' });
  return { code, stdout: Buffer.concat(chunks).toString('utf8') };
}

/** Shell words of an example (single and double quotes; stops at a redirection). */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/'([^']*)'|"([^"]*)"|(<)|(\S+)/g)) {
    if (m[3]) break;
    out.push(m[1] ?? m[2] ?? m[4]!);
  }
  return out;
}

describe('admin CLI help', () => {
  it('propusk admin <group> --help lists every command of the group, exit 0', async () => {
    assert.deepEqual(groups(), ['user', 'client', 'partner', 'link', 'resource', 'keys', 'audit']);
    for (const group of groups()) {
      const r = await inProcess([group, '--help']);
      assert.equal(r.code, 0, group);
      assert.ok(r.stdout.startsWith(`usage: propusk admin ${group} <command>`), r.stdout);
      for (const c of commands.filter((x) => x.name.startsWith(`${group} `))) {
        assert.match(r.stdout, new RegExp(`^  ${c.name.slice(group.length + 1)} +\\S`, 'm'), `${c.name} in ${group} --help`);
      }
      const bare = await inProcess([group]);
      assert.equal(bare.code, 2, 'a group without a command is a usage error');
      assert.equal(bare.stdout, r.stdout);
    }
  });

  for (const cmd of commands) {
    it(`${cmd.name} --help: usage, every argument and flag described, examples its parser accepts`, async () => {
      const r = await inProcess([...cmd.name.split(' '), '--help']);
      assert.equal(r.code, 0);
      assert.ok(r.stdout.startsWith(`usage: propusk admin ${cmd.usage}\n\n${cmd.summary}\n`), r.stdout);
      for (const p of cmd.positionals ?? []) assert.match(r.stdout, new RegExp(`^  <${p.name}> +\\S`, 'm'), p.name);
      for (const [name, o] of Object.entries<CommandOption>({ ...cmd.options, ...COMMON_OPTIONS })) {
        assert.ok(o.description.trim().length > 3, `--${name} has a description`);
        assert.match(r.stdout, new RegExp(`--${name}${o.type === 'string' ? ' <value>' : ''}\\s+${o.description.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), `--${name}`);
      }
      assert.ok(cmd.examples.length > 0, 'at least one example');
      for (const example of cmd.examples) {
        assert.match(r.stdout, new RegExp(`^  propusk admin ${example.slice(0, 30).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'));
        const argv = words(example);
        assert.deepEqual(argv.slice(0, 2), cmd.name.split(' '), example);
        assert.doesNotThrow(() => parse(cmd, argv.slice(2)), example);
      }
    });
  }
});

describe('admin CLI: did you mean', () => {
  const env = { DATABASE_URL: 'sqlite:/nonexistent/never-opened.sqlite' };
  const cases: [string[], RegExp][] = [
    [['clinet', 'list'], /^propusk admin: unknown command group "clinet"; did you mean "client"\? \(propusk admin --help lists the groups\)\n$/],
    [['client', 'lsit'], /^propusk admin: unknown command "client lsit"; did you mean "client list"\? \(propusk admin client --help lists its commands\)\n$/],
    [['user', 'set-pasword', 'x'], /did you mean "user set-password"\?/],
    [['client', 'create', '--grant-type', 'x'], /^propusk admin: unknown flag --grant-type for "client create"; did you mean --grant-types\?\n/],
    [['user', 'list', '--limt', '5'], /unknown flag --limt for "user list"; did you mean --limit\?/],
    [['client', 'create', '--name'], /^propusk admin: --name needs a value\n/],
    [['client', 'list', '--all=yes'], /^propusk admin: --all takes no value\n/],
    [['user', 'create', '--zzzzzz'], /^propusk admin: unknown flag --zzzzzz for "user create"\n/],
  ];
  for (const [args, message] of cases) {
    it(`${args.join(' ')}`, async () => {
      const r = await runCli(['admin', ...args], env);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /ERR_PARSE|Unknown option|To specify a positional|\n\s+at /);
    });
  }
});

function operatorScenarios(database: () => Promise<{ env: Record<string, string>; cleanup(): Promise<void> }>): void {
  let server: TestServer;
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  before(async () => {
    const db = await database();
    cleanup = db.cleanup;
    server = await startTestServer(db.env);
    env = { DATABASE_URL: server.env.DATABASE_URL!, PROPUSK_ISSUER: server.issuer };
  });
  after(async () => {
    await server?.stop();
    await cleanup?.();
  });
  const run = (args: string[]) => runCli(['admin', ...args], env);
  const json = async <T = Record<string, unknown>>(args: string[]): Promise<T> => {
    const r = await run([...args, '--json']);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as T;
  };

  it('user create --email-verified, then user update: names, phone in any form, email_verified; audited', async () => {
    const login = `upd-${Date.now()}@example.ru`;
    const created = await json(['user', 'create', '--login', login, '--password', 'a long enough password', '--email-verified']);
    assert.equal(created.email_verified, true);
    const updated = await json(['user', 'update', login, '--given-name', 'Иван', '--family-name', 'Петров', '--phone', '+7 (912) 555-01-02', '--no-email-verified']);
    assert.equal(updated.given_name, 'Иван');
    assert.equal(updated.family_name, 'Петров');
    assert.equal(updated.phone, '9125550102');
    assert.equal(updated.email_verified, false);
    const cleared = await json(['user', 'update', login, '--no-phone', '--no-given-name', '--email-verified']);
    assert.equal(cleared.phone, null);
    assert.equal(cleared.given_name, null);
    assert.equal(cleared.email_verified, true);
    const events = await server.context.audit.tail({ type: 'account.updated' });
    assert.ok(events.some((e) => e.accountId === created.id && (e.details.fields as string[]).includes('phone')));
  });

  it('user update refuses a phone another account has, an unknown login, and nothing to change', async () => {
    const a = await json(['user', 'create', '--login', `a-${Date.now()}@example.ru`, '--password', 'a long enough password', '--phone', '9125550199']);
    const b = await json<{ login: string }>(['user', 'create', '--login', `b-${Date.now()}@example.ru`, '--password', 'a long enough password']);
    const dup = await run(['user', 'update', b.login, '--phone', '8 912 555 01 99']);
    assert.equal(dup.code, 1);
    assert.match(dup.stderr, /^propusk admin: phone 9125550199 already belongs to another account/);
    assert.ok(String(a.login));
    const unknown = await run(['user', 'update', 'nobody@example.ru', '--given-name', 'X']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^propusk admin: account nobody@example.ru not found/);
    const nothing = await run(['user', 'update', b.login]);
    assert.equal(nothing.code, 2);
    assert.match(nothing.stderr, /nothing to change/);
  });

  it('--grant-types takes device_code and jwt-bearer for the long names', async () => {
    const device = await json<{ client_id: string; api_key: string }>(['client', 'create', '--client-id', `tv-${Date.now()}`, '--name', 'TV', '--grant-types', 'device_code,refresh_token', '--scopes', 'openid']);
    const partner = await json<{ client_id: string }>(['client', 'create', '--client-id', `crm-${Date.now()}`, '--name', 'CRM', '--grant-types', 'jwt-bearer', '--scopes', 'extern.api']);
    const list = await json<{ client_id: string; grant_types: string[] }[]>(['client', 'list']);
    assert.deepEqual(list.find((c) => c.client_id === device.client_id)!.grant_types, ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token']);
    assert.deepEqual(list.find((c) => c.client_id === partner.client_id)!.grant_types, ['trusted']);
    assert.match(device.api_key, /^[A-Za-z0-9_-]{20,}$/);
  });

  it('client create --no-key: no secret anywhere; client invite works for it', async () => {
    const id = `shop-${Date.now()}`;
    const r = await run(['client', 'create', '--client-id', id, '--name', 'Shop', '--grant-types', 'authorization_code', '--redirect-uris', 'https://shop.example/cb', '--no-key', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(out, { client_id: id, public: false });
    const human = await run(['client', 'create', '--client-id', `${id}-2`, '--name', 'Shop 2', '--grant-types', 'authorization_code', '--redirect-uris', 'https://shop.example/cb', '--no-key']);
    assert.equal(human.stdout, `created client ${id}-2 without an api-key; invite its owner to set one: propusk admin client invite ${id}-2\n`);
    assert.deepEqual(await json(['client', 'list-keys', id]), []);
    const invite = await json<{ url: string }>(['client', 'invite', id]);
    assert.match(invite.url, new RegExp(`^${server.issuer}/integrations/invitations/`));
  });

  it('client list leaves out the introspection clients unless --all, and fits 100 columns', async () => {
    await json(['resource', 'create', '--scope', `listing.${Date.now()}`, '--name', 'Listing API']);
    await json(['client', 'create', '--client-id', `long-${Date.now()}`, '--name', 'A very long application name that would never fit in one column of a terminal', '--grant-types', 'authorization_code,refresh_token,device_code,client_credentials', '--redirect-uris', 'https://a.example/cb']);
    const plain = await json<{ client_id: string }[]>(['client', 'list']);
    const all = await json<{ client_id: string }[]>(['client', 'list', '--all']);
    assert.ok(!plain.some((c) => c.client_id.startsWith('rs.')));
    assert.ok(all.some((c) => c.client_id.startsWith('rs.listing.')));
    const table = await run(['client', 'list']);
    const lines = table.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^client_id +name +grant_types +type +status$/);
    for (const line of lines) assert.ok([...line].length <= 100, `${[...line].length} columns: ${line}`);
    assert.match(table.stdout, /A very long application.*…/);
    assert.ok(!table.stdout.includes('rs.listing.'));
  });
}

describe('admin CLI operator commands: sqlite', () => {
  operatorScenarios(async () => ({ env: {}, cleanup: async () => {} }));
});

describePostgres('admin CLI operator commands: postgres', () => {
  operatorScenarios(async () => {
    const schema = await createTestSchema();
    return { env: { DATABASE_URL: schema.url }, cleanup: () => schema.drop() };
  });
});
