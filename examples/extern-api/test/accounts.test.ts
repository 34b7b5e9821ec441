// Demo accounts: deterministic per owner, 1–3 organisations, INN/KPP shaped
// like real ones (check digits computed independently here).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { demoAccounts } from '../src/index.ts';

/** The INN check digit, written out again so that the test does not trust the code under test. */
function innCheck(digits: string, weights: number[]): number {
  return (weights.reduce((sum, w, i) => sum + w * Number(digits[i]), 0) % 11) % 10;
}

function validInn(inn: string): boolean {
  if (/^\d{10}$/.test(inn)) return innCheck(inn, [2, 4, 10, 3, 5, 9, 4, 6, 8]) === Number(inn[9]);
  if (/^\d{12}$/.test(inn)) {
    return (
      innCheck(inn, [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) === Number(inn[10]) &&
      innCheck(inn, [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) === Number(inn[11])
    );
  }
  return false;
}

const owners = Array.from({ length: 200 }, (_, i) => `user-${i}`);

describe('demo accounts', () => {
  it('are the same for the same owner, and differ between owners', () => {
    assert.deepEqual(demoAccounts('4f1c2d'), demoAccounts('4f1c2d'));
    const inns = new Set(owners.map((o) => demoAccounts(o)[0]!.inn));
    assert.ok(inns.size > 190, `first INNs of 200 owners: only ${inns.size} distinct`);
  });

  it('give every owner 1 to 3 organisations, and each count occurs', () => {
    const counts = owners.map((o) => demoAccounts(o).length);
    assert.ok(counts.every((n) => n >= 1 && n <= 3));
    assert.deepEqual([...new Set(counts)].sort(), [1, 2, 3]);
  });

  it('have valid INNs; legal entities a 9-digit KPP sharing the tax office, entrepreneurs none', () => {
    const all = owners.flatMap((o) => demoAccounts(o));
    const kinds = new Set(all.map((a) => a.kind));
    assert.deepEqual([...kinds].sort(), ['individual_entrepreneur', 'legal_entity']);
    for (const account of all) {
      assert.ok(validInn(account.inn), `${account.inn} has wrong check digits`);
      assert.match(account.id, /^acc_[A-Za-z0-9_-]{16}$/);
      if (account.kind === 'legal_entity') {
        assert.equal(account.inn.length, 10);
        assert.match(account.kpp ?? '', /^\d{4}01\d{3}$/);
        assert.equal(account.kpp?.slice(0, 4), account.inn.slice(0, 4));
        assert.match(account.name, /^(ООО|АО|ПАО) «\S+ \S+»$/);
      } else {
        assert.equal(account.inn.length, 12);
        assert.equal(account.kpp, null);
        assert.match(account.name, /^ИП \S+ \S\.\S\.$/);
      }
    }
    assert.equal(new Set(all.map((a) => a.id)).size, all.length, 'ids are unique');
  });
});
