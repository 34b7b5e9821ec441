/**
 * Bad input to every operation of the management API, derived from the served OpenAPI document (so
 * an operation added later is covered without touching this test): wrong JSON, a body that is not an
 * object, unknown members, each member with the wrong type, a body over 64 KiB, a body where none is
 * taken, unknown and malformed query parameters, bad cursors, unknown ids. Every answer is a
 * documented problem (api() checks it against the document), 4xx, never 5xx.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.ts';
import { api, machineOperator } from './support.ts';

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; anyOf?: Schema[] };
type Operation = {
  operationId: string;
  parameters?: { name: string; in: 'path' | 'query'; schema: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
};

/** A value of another type than `schema` allows. */
function wrongValue(schema: Schema): unknown {
  const types = new Set([schema.type, ...(schema.anyOf ?? []).map((s) => s.type)].flat().filter(Boolean));
  if (!types.has('object')) return { not: 'this' };
  if (!types.has('number') && !types.has('integer')) return 12345;
  return 'not-this';
}

describe('management API: bad input to every operation', () => {
  let server: TestServer;
  let token: string;
  let doc: { paths: Record<string, Record<string, Operation>> };

  before(async () => {
    server = await startTestServer();
    token = (await machineOperator(server.context, server.url, 'bad.admin', 'admin')).token;
    doc = (await api(server.url, null, 'GET', '/openapi.json')).json;
  });
  after(() => server.stop());

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        op,
        // Ids that exist nowhere: a valid request on them changes nothing.
        path: path.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'permission' ? 'trusted' : `no-such-${name}`)),
      })),
    );

  const expectProblem = async (method: string, path: string, body: unknown, expected: number[], headers: Record<string, string> = {}) => {
    const res = await api(server.url, token, method, path, body, headers);
    assert.ok(expected.includes(res.status), `${method} ${path} with ${JSON.stringify(body)?.slice(0, 80)}: ${res.status} ${res.text.slice(0, 300)}`);
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, `${method} ${path}`);
    return res;
  };

  it('covers every operation of the document', () => {
    assert.ok(operations().length >= 2);
  });

  it('request bodies: not JSON, not an object, unknown members, wrong types, too large', async () => {
    for (const { method, path, op } of operations()) {
      const schema = op.requestBody?.content['application/json']?.schema;
      if (method === 'GET' || method === 'DELETE') continue;
      if (!schema) {
        await expectProblem(method, path, { unexpected: true }, [400]);
        continue;
      }
      await expectProblem(method, path, '{"unterminated', [400]);
      await expectProblem(method, path, [], [400]);
      await expectProblem(method, path, 'null', [400]);
      await expectProblem(method, path, { surely_not_a_member: 1 }, [400]);
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        const res = await expectProblem(method, path, { [name]: wrongValue(property) }, [400]);
        assert.ok(res.json.invalid_params?.some((p: { name: string }) => p.name === `body.${name}` || p.name.startsWith(`body.${name}.`)), `${op.operationId}: ${name} is named in invalid_params: ${res.text}`);
      }
      await expectProblem(method, path, JSON.stringify({ pad: 'x'.repeat(70_000) }), [413]);
      await expectProblem(method, path, 'a=1', [415], { 'content-type': 'text/plain' });
    }
  });

  it('query parameters: unknown ones, wrong types, bad cursors and limits', async () => {
    for (const { method, path, op } of operations()) {
      if (method !== 'GET') continue;
      await expectProblem(method, `${path}?surely_not_a_parameter=1`, undefined, [400, 404]);
      const query = new Set((op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name));
      if (query.has('cursor')) {
        for (const cursor of ['%%%', 'AAAA', Buffer.from('{"x":1}').toString('base64url'), Buffer.from('[null]').toString('base64url'), 'x'.repeat(5000)]) {
          await expectProblem(method, `${path}?cursor=${encodeURIComponent(cursor)}`, undefined, [400, 404]);
        }
      }
      if (query.has('limit')) {
        for (const limit of ['0', '-1', '201', 'abc', '1.5', '']) await expectProblem(method, `${path}?limit=${limit}`, undefined, [400, 404]);
      }
    }
  });

  it('unknown ids: a problem, and nothing is created', async () => {
    const before = (await api(server.url, token, 'GET', '/signing-keys')).json.items.length;
    for (const { method, path } of operations()) {
      if (!path.includes('no-such-')) continue;
      const res = await api(server.url, token, method, path, method === 'GET' || method === 'DELETE' ? undefined : {});
      assert.ok(res.status >= 400 && res.status < 500, `${method} ${path}: ${res.status} ${res.text.slice(0, 200)}`);
    }
    assert.equal((await api(server.url, token, 'GET', '/signing-keys')).json.items.length, before);
  });
});
