/**
 * DevicePollRepository on Kysely. Each step is one conditional statement, so concurrent polls of
 * one device code in several processes cannot both pass: the first poll is the INSERT that wins the
 * primary key; a later one passes only through the UPDATE whose WHERE requires the interval to have
 * elapsed (re-checked by the database on the row it locks); everything else is `slow_down`.
 */
import { sql } from 'kysely';
import type { Db } from '../database.ts';
import { POLL_GRACE_MS, SLOW_DOWN_STEP_SECONDS, type DevicePollRepository, type PollRecord, type PollVerdict } from '../../device/polls.ts';

export class KyselyDevicePollRepository implements DevicePollRepository {
  constructor(private readonly db: Db) {}

  async recordPoll({ id, now, initialIntervalSeconds, expiresAt }: PollRecord): Promise<PollVerdict> {
    const first = await this.db
      .insertInto('device_poll')
      .values({ id, last_poll_at: now, interval_seconds: initialIntervalSeconds, expires_at: expiresAt })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(first.numInsertedOrUpdatedRows ?? 0) > 0) return { verdict: 'ok', intervalSeconds: initialIntervalSeconds };

    const onTime = await this.db
      .updateTable('device_poll')
      .set({ last_poll_at: now })
      .where('id', '=', id)
      .where(sql<boolean>`last_poll_at + interval_seconds * 1000 <= ${now + POLL_GRACE_MS}`)
      .returning('interval_seconds')
      .executeTakeFirst();
    if (onTime) return { verdict: 'ok', intervalSeconds: Number(onTime.interval_seconds) };

    const slowed = await this.db
      .updateTable('device_poll')
      .set({ last_poll_at: now, interval_seconds: sql<number>`interval_seconds + ${SLOW_DOWN_STEP_SECONDS}` })
      .where('id', '=', id)
      .returning('interval_seconds')
      .executeTakeFirst();
    return { verdict: 'slow_down', intervalSeconds: Number(slowed?.interval_seconds ?? initialIntervalSeconds + SLOW_DOWN_STEP_SECONDS) };
  }
}
