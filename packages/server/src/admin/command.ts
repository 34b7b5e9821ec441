/** The shape of one admin command, and the helpers commands share for arguments and output. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { AppContext } from '../context.ts';

export class UsageError extends Error {
  static readonly code = 'ERR_USAGE';
  readonly code = UsageError.code;
}

export interface CommandIO {
  stdout: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

export interface AdminCommand {
  /** e.g. `client create` */
  name: string;
  usage: string;
  summary: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Number of positional arguments required. */
  positionals?: string[];
  run(ctx: AppContext, args: { values: Record<string, string | boolean | undefined>; positionals: string[] }, io: CommandIO): Promise<unknown>;
  /** Human output; JSON output prints the return value of run. */
  format?(result: unknown): string;
}

export const jsonOption = { json: { type: 'boolean' as const } };

export function parse(cmd: AdminCommand, argv: string[]) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...cmd.options, ...jsonOption, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${(err as Error).message.split('\n')[0]}\nusage: propusk admin ${cmd.usage}`);
  }
  const expected = cmd.positionals ?? [];
  if (!parsed.values.help && parsed.positionals.length !== expected.length) {
    throw new UsageError(`expected ${expected.length ? expected.map((p) => `<${p}>`).join(' ') : 'no positional arguments'}\nusage: propusk admin ${cmd.usage}`);
  }
  return parsed as { values: Record<string, string | boolean | undefined>; positionals: string[] };
}

export function requireString(values: Record<string, string | boolean | undefined>, name: string, usage: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required\nusage: propusk admin ${usage}`);
  return v;
}

export function optionalString(values: Record<string, string | boolean | undefined>, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** Reads all of stdin (for --password-stdin), without the trailing newline. */
export async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stdin) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export function table(rows: Record<string, unknown>[], columns: string[]): string {
  if (rows.length === 0) return '(none)\n';
  const cell = (v: unknown) => (v === null || v === undefined ? '-' : v instanceof Date ? v.toISOString() : Array.isArray(v) ? v.join(',') : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n') + '\n';
}
