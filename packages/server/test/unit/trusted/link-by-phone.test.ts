import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { linkByPhone, LinkingError, LinkingErrorCode as Code } from '../../../src/linking/service.ts';
import type { LinkByPhoneDeps } from '../../../src/linking/service.ts';
import type { ExternalLink, ExternalLinkRepository } from '../../../src/linking/types.ts';

class MemoryLinks implements ExternalLinkRepository {
  readonly rows = new Map<string, ExternalLink>();
  private key = (clientId: string, serviceUserId: string) => JSON.stringify([clientId, serviceUserId]);
  async find(clientId: string, serviceUserId: string) {
    return this.rows.get(this.key(clientId, serviceUserId));
  }
  async create(link: ExternalLink) {
    const k = this.key(link.clientId, link.serviceUserId);
    if (this.rows.has(k)) throw new Error('unique violation');
    this.rows.set(k, { ...link });
  }
  async remove(clientId: string, serviceUserId: string) {
    return this.rows.delete(this.key(clientId, serviceUserId));
  }
  async list(filter: { clientId?: string; accountId?: string } = {}) {
    return [...this.rows.values()].filter(
      (l) => (filter.clientId === undefined || l.clientId === filter.clientId) && (filter.accountId === undefined || l.accountId === filter.accountId),
    );
  }
}

const accounts = [
  { id: 'acc-1', phone: '9123456789', disabled: false },
  { id: 'acc-2', phone: '9000000001', disabled: false },
  { id: 'acc-3', phone: '9000000001', disabled: false }, // shares acc-2's phone
  { id: 'acc-4', phone: '9000000002', disabled: true },
  { id: 'acc-5', phone: '9000000003', disabled: true }, // shares with acc-6, but disabled
  { id: 'acc-6', phone: '9000000003', disabled: false },
  { id: 'acc-7', phone: '9000000007', disabled: false },
];
const NOW = new Date('2025-06-01T12:00:00Z');
const fails = (c: string) => (e: unknown) => e instanceof LinkingError && e.code === c;

describe('linkByPhone', () => {
  let links: MemoryLinks;
  let deps: LinkByPhoneDeps;
  let lookups: string[];
  beforeEach(() => {
    links = new MemoryLinks();
    lookups = [];
    deps = {
      links,
      now: () => NOW,
      findAccountsByPhone: async (phone) => {
        lookups.push(phone);
        return accounts.filter((a) => a.phone === phone).map(({ id, disabled }) => ({ id, disabled }));
      },
    };
  });
  const input = { clientId: 'partner.ca', serviceUserId: 'u-1', phone: '+7 (912) 345-67-89' };

  it('creates a link to the single account with the phone (normalized before lookup)', async () => {
    const result = await linkByPhone(deps, input);
    const expected = { clientId: 'partner.ca', serviceUserId: 'u-1', accountId: 'acc-1', createdAt: NOW, createdBy: 'partner' };
    assert.deepEqual(result, { outcome: 'created', link: expected });
    assert.deepEqual(await links.list(), [expected]);
    assert.deepEqual(lookups, ['9123456789']);
  });

  it('records who created the link', async () => {
    const { link } = await linkByPhone(deps, { ...input, createdBy: 'support' });
    assert.equal(link.createdBy, 'support');
  });

  it('is idempotent: the same link again -> exists', async () => {
    await linkByPhone(deps, input);
    const again = await linkByPhone(deps, { ...input, phone: '89123456789' });
    assert.equal(again.outcome, 'exists');
    assert.equal(again.link.accountId, 'acc-1');
    assert.equal((await links.list()).length, 1);
  });

  it('refuses a ServiceUserId linked to another account', async () => {
    await linkByPhone(deps, input);
    await assert.rejects(linkByPhone(deps, { ...input, phone: '9000000007' }), fails(Code.ALREADY_LINKED));
  });

  it('the same ServiceUserId may be linked under another client', async () => {
    await linkByPhone(deps, input);
    const other = await linkByPhone(deps, { ...input, clientId: 'other.ca', phone: '9000000007' });
    assert.equal(other.outcome, 'created');
  });

  it('refuses when no account has the phone', async () => {
    await assert.rejects(linkByPhone(deps, { ...input, phone: '9999999999' }), fails(Code.ACCOUNT_NOT_FOUND));
  });

  it('disabled accounts do not count: only a disabled account -> account_not_found', async () => {
    await assert.rejects(linkByPhone(deps, { ...input, phone: '9000000002' }), fails(Code.ACCOUNT_NOT_FOUND));
  });

  it('disabled accounts do not count: one active + one disabled -> links the active one', async () => {
    const { link } = await linkByPhone(deps, { ...input, phone: '9000000003' });
    assert.equal(link.accountId, 'acc-6');
  });

  it('refuses a phone shared by several active accounts', async () => {
    await assert.rejects(linkByPhone(deps, { ...input, phone: '9000000001' }), fails(Code.AMBIGUOUS_PHONE));
    assert.equal((await links.list()).length, 0);
  });

  it('refuses invalid input without looking anything up', async () => {
    for (const bad of [
      { ...input, phone: '12345' },
      { ...input, phone: '' },
      { ...input, phone: 'abc' },
      { ...input, serviceUserId: '' },
      { ...input, serviceUserId: '   ' },
      { ...input, serviceUserId: 'x'.repeat(201) },
      { ...input, serviceUserId: undefined as unknown as string },
    ]) {
      await assert.rejects(linkByPhone(deps, bad), fails(Code.INVALID_INPUT), JSON.stringify(bad));
    }
    assert.deepEqual(lookups, []);
  });

  it('accepts a ServiceUserId of exactly 200 characters (multibyte counted as characters)', async () => {
    assert.equal((await linkByPhone(deps, { ...input, serviceUserId: 'ж'.repeat(200) })).outcome, 'created');
  });

  it('resolves a concurrent creation of the same link as exists, of a different one as already_linked', async () => {
    const racing = (accountId: string): ExternalLinkRepository => ({
      find: (() => {
        let calls = 0;
        return async (c: string, s: string) => (calls++ === 0 ? undefined : links.find(c, s));
      })(),
      create: async (link) => {
        await links.create({ ...link, accountId });
        throw new Error('unique violation');
      },
      remove: links.remove.bind(links),
      list: links.list.bind(links),
    });
    assert.equal((await linkByPhone({ ...deps, links: racing('acc-1') }, input)).outcome, 'exists');
    await assert.rejects(linkByPhone({ ...deps, links: racing('acc-7') }, { ...input, serviceUserId: 'u-2' }), fails(Code.ALREADY_LINKED));
  });

  it('rethrows a storage failure that is not a race', async () => {
    const broken: ExternalLinkRepository = {
      find: async () => undefined,
      create: async () => {
        throw new Error('disk full');
      },
      remove: async () => false,
      list: async () => [],
    };
    await assert.rejects(linkByPhone({ ...deps, links: broken }, input), /disk full/);
  });
});
