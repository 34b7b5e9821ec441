/** The wait a lock names, as a person reads it, with Russian plural forms after "через". */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitText } from '../../src/views/index.ts';

describe('waitText', () => {
  it('says minutes in Russian with the right form', () => {
    assert.equal(waitText('ru', 60), '1 минуту');
    assert.equal(waitText('ru', 180), '3 минуты');
    assert.equal(waitText('ru', 900), '15 минут');
    assert.equal(waitText('ru', 21 * 60), '21 минуту');
    assert.equal(waitText('ru', 22 * 60), '22 минуты');
    assert.equal(waitText('ru', 11 * 60), '11 минут');
  });
  it('says minutes and seconds in English', () => {
    assert.equal(waitText('en', 60), '1 minute');
    assert.equal(waitText('en', 900), '15 minutes');
    assert.equal(waitText('en', 1), '1 second');
    assert.equal(waitText('en', 45), '45 seconds');
    assert.equal(waitText('ru', 45), '45 секунд');
  });
  it('rounds a part of a minute up, never down to "0"', () => {
    assert.equal(waitText('en', 61), '2 minutes');
    assert.equal(waitText('en', 899.2), '15 minutes');
    assert.equal(waitText('en', 0), '1 second');
  });
});
