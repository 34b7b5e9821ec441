/**
 * Change notifications between processes: a service that changes a client, an api-key, a resource
 * or the signing keys publishes a topic and key; every instance's in-process caches subscribe.
 */
export type ChangeTopic = 'client' | 'resource' | 'signing-keys' | 'account';

export interface ChangeFeed {
  /** Announces a change to every process using the same database. */
  publish(topic: ChangeTopic, key: string): Promise<void>;
  /** Calls `listener` for each change seen (from this process or another). Returns an unsubscribe function. */
  subscribe(listener: (topic: ChangeTopic, key: string) => void): () => void;
}
