import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizePhone } from '../../../src/linking/phone.ts';

describe('normalizePhone', () => {
  const accepted: [string, string][] = [
    ['9123456789', '9123456789'],
    ['+79123456789', '9123456789'],
    ['79123456789', '9123456789'],
    ['89123456789', '9123456789'],
    ['+7 912 345 67 89', '9123456789'],
    ['+7 (912) 345-67-89', '9123456789'],
    ['8 (912) 345-67-89', '9123456789'],
    ['8-912-345-67-89', '9123456789'],
    ['912.345.67.89', '9123456789'],
    ['(912) 3456789', '9123456789'],
    ['  +7 912 345 67 89  ', '9123456789'],
    ['+7\u00a0912\u00a0345-67-89', '9123456789'], // no-break spaces
    ['8\t912\t3456789', '9123456789'],
    ['8 912 345–67–89', '9123456789'], // en dashes
    ['+7-495-123-45-67', '4951234567'],
    ['84951234567', '4951234567'],
    // 10 digits starting with 7 or 8 are national numbers, not prefixed ones
    ['8001234567', '8001234567'],
    ['7001234567', '7001234567'],
    // 11 digits where the national part itself starts with 7 or 8
    ['+78001234567', '8001234567'],
    ['88001234567', '8001234567'],
    ['77001234567', '7001234567'],
  ];
  for (const [input, expected] of accepted) {
    it(`${JSON.stringify(input)} -> ${expected}`, () => assert.equal(normalizePhone(input), expected));
  }

  const refused = [
    '',
    '   ',
    '---',
    '912345678', // 9 digits
    '+7912345678', // +7 and 9 digits
    '912345678901', // 12 digits
    '+791234567890', // +7 and 11 digits
    '19123456789', // 11 digits, prefix 1
    '+89123456789', // +8 is not a country code
    '+9123456789', // + without country code
    '+1 912 345 67 89',
    '+380 91 234 5678',
    '7 + 9123456789',
    '++79123456789',
    '8 912 345 67 8a',
    'nine one two',
    '9I23456789', // letter I
    '8 912 345 67 89 доб. 12',
    '٩١٢٣٤٥٦٧٨٩', // Arabic-Indic digits
    '９１２３４５６７８９', // full-width digits
    '912/345/67/89',
    '912_345_67_89',
    '9123456789\n1',
    '+7 912 345 67 89' + ' '.repeat(40),
  ];
  for (const input of refused) {
    it(`${JSON.stringify(input)} -> null`, () => assert.equal(normalizePhone(input), null));
  }

  it('refuses non-strings', () => {
    assert.equal(normalizePhone(undefined as unknown as string), null);
    assert.equal(normalizePhone(9123456789 as unknown as string), null);
  });
});
