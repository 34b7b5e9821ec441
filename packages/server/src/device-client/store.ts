/**
 * Where `propusk login` keeps tokens: one JSON file readable only by the user
 * (`~/.config/propusk/credentials.json`, directory 0700, file 0600; PROPUSK_CONFIG_DIR or
 * --config-dir override the directory). Written atomically (temp file + rename).
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface StoredCredentials {
  issuer: string;
  client_id: string;
  /** The api-key, needed to refresh and revoke (the client is confidential). */
  client_secret?: string;
  scope?: string;
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  /** Epoch seconds. */
  expires_at: number;
}

export function configDir(override?: string): string {
  return override ?? process.env.PROPUSK_CONFIG_DIR ?? join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'propusk');
}

/** The credentials file in `dir`. */
export const credentialsFile = (dir: string): string => join(dir, 'credentials.json');
const file = credentialsFile;

export function saveCredentials(dir: string, creds: StoredCredentials): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const target = file(dir);
  const tmp = `${target}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, target);
  return target;
}

export function loadCredentials(dir: string): StoredCredentials | undefined {
  let text: string;
  try {
    text = readFileSync(file(dir), 'utf8');
  } catch {
    return undefined;
  }
  const parsed = JSON.parse(text) as StoredCredentials;
  if (typeof parsed.access_token !== 'string' || typeof parsed.issuer !== 'string') return undefined;
  return parsed;
}

export function deleteCredentials(dir: string): void {
  rmSync(file(dir), { force: true });
}
