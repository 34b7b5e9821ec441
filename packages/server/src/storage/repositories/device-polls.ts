/**
 * DevicePollRepository on Kysely. Each step is one conditional statement, so concurrent polls of
 * one device code in several processes cannot both pass: the first poll is the INSERT that wins the
 * primary key; a later one passes only through the UPDATE whose WHERE requires the interval to have
 * elapsed (re-checked by the database on the row it locks); everything else is `slow_down`.
 *
 * Polling is the device flow's hot path (every waiting device, every few seconds): the statements
 * are compiled once and written through the database's group commit, like the adapter's.
 */
import { sql } from 'kysely';
import type { Db } from '../database.ts';
import { PreparedQuery } from '../prepared-query.ts';
import { groupCommit, type GroupCommit } from '../group-commit.ts';
import { POLL_GRACE_MS, SLOW_DOWN_STEP_SECONDS, type DevicePollRepository, type PollRecord, type PollVerdict } from '../../device/polls.ts';

export class KyselyDevicePollRepository implements DevicePollRepository {
  readonly #run: GroupCommit;
  readonly #first: PreparedQuery<'id' | 'now' | 'interval' | 'expires_at'>;
  readonly #onTime: PreparedQuery<'id' | 'now' | 'deadline'>;
  readonly #slowed: PreparedQuery<'id' | 'now'>;

  constructor(db: Db) {
    this.#run = groupCommit(db);
    this.#first = new PreparedQuery(['id', 'now', 'interval', 'expires_at'], (p) =>
      db
        .insertInto('device_poll')
        .values({ id: p.id, last_poll_at: p.now as unknown as number, interval_seconds: p.interval as unknown as number, expires_at: p.expires_at as unknown as number })
        .onConflict((oc) => oc.column('id').doNothing()),
    );
    this.#onTime = new PreparedQuery(['id', 'now', 'deadline'], (p) =>
      db
        .updateTable('device_poll')
        .set({ last_poll_at: p.now as unknown as number })
        .where('id', '=', p.id)
        .where(sql<boolean>`last_poll_at + interval_seconds * 1000 <= ${p.deadline}`)
        .returning('interval_seconds'),
    );
    this.#slowed = new PreparedQuery(['id', 'now'], (p) =>
      db
        .updateTable('device_poll')
        .set({ last_poll_at: p.now as unknown as number, interval_seconds: sql<number>`interval_seconds + ${SLOW_DOWN_STEP_SECONDS}` })
        .where('id', '=', p.id)
        .returning('interval_seconds'),
    );
  }

  async recordPoll({ id, now, initialIntervalSeconds, expiresAt }: PollRecord): Promise<PollVerdict> {
    const first = await this.#run.write(this.#first.bind({ id, now, interval: initialIntervalSeconds, expires_at: expiresAt }));
    if (Number(first.numAffectedRows ?? 0) > 0) return { verdict: 'ok', intervalSeconds: initialIntervalSeconds };

    const onTime = await this.#run.write<{ interval_seconds: number | string }>(this.#onTime.bind({ id, now, deadline: now + POLL_GRACE_MS }));
    const [row] = onTime.rows;
    if (row) return { verdict: 'ok', intervalSeconds: Number(row.interval_seconds) };

    const slowed = await this.#run.write<{ interval_seconds: number | string }>(this.#slowed.bind({ id, now }));
    return { verdict: 'slow_down', intervalSeconds: Number(slowed.rows[0]?.interval_seconds ?? initialIntervalSeconds + SLOW_DOWN_STEP_SECONDS) };
  }
}
