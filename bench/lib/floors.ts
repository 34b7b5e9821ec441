/**
 * Floors: what an RS256, an ES256 and an EdDSA signature and an argon2id verification cost on the server core at the
 * start and at the end of a run (floor-probe.ts). They are the parts of a refresh rotation, a code
 * exchange and a sign-in that no code of ours can make cheaper, and they move with the host: on
 * the same VM an RS256 signature has measured anywhere from ~280 to ~1,100 µs. Reported with the
 * rows, they say how fast the core was while the rows were measured.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { repoRoot } from './processes.ts';

export interface Floor {
  /** CPU µs of one RS256 (RSA-2048) signature. */
  rs256Us: number;
  /** CPU µs of one ES256 (ECDSA P-256) signature. */
  es256Us: number;
  /** CPU µs of one EdDSA (Ed25519) signature. */
  eddsaUs: number;
  /** CPU ms of one argon2id verification at the server's parameters. */
  argon2idMs: number;
}

const PROBE = resolve(import.meta.dirname, 'floor-probe.ts');

/** Runs the probe (pinned to `cpu` when given) and returns its readings. */
export function measureFloor(cpu: number | undefined): Promise<Floor> {
  const node = [process.execPath, '--import', 'tsx', PROBE];
  const [command, ...args] = cpu === undefined ? node : ['taskset', '-c', String(cpu), ...node];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command!, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        if (code !== 0) throw new Error(`exit code ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`);
        const floor = JSON.parse(out) as Floor;
        if (!(floor.rs256Us > 0 && floor.es256Us > 0 && floor.eddsaUs > 0 && floor.argon2idMs > 0)) throw new Error(`unexpected output ${JSON.stringify(out)}`);
        resolvePromise(floor);
      } catch (e) {
        reject(new Error(`floor probe failed: ${(e as Error).message}`));
      }
    });
  });
}

/** "a → b unit" for a first and last reading, or one figure when there is one. */
export function floorRange(floors: readonly Floor[], pick: (f: Floor) => number, unit: string, digits = 0): string {
  const values = floors.map(pick).map((v) => v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
  return `${values.join(' → ')} ${unit}`;
}

/** Mean of a reading over the run's floors. */
export function floorMean(floors: readonly Floor[], pick: (f: Floor) => number): number {
  return floors.reduce((sum, f) => sum + pick(f), 0) / floors.length;
}
