/**
 * The shape of one admin command — parse, call one service method, present — and the helpers
 * commands share for arguments and output. A command is generic over its result: `format`
 * receives what `run` returned, typed.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { AppContext } from '../context.ts';
import { didYouMean } from './suggest.ts';

export class UsageError extends Error {
  static readonly code = 'ERR_USAGE';
  readonly code = UsageError.code;
}

export interface CommandIO {
  stdout: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

/** One option of a command: its type, and what it does (for `--help` readers and docs/cli-reference.md). */
export interface CommandOption {
  type: 'string' | 'boolean';
  short?: string;
  description: string;
}

/** One positional argument: its name (as in `<client_id>`) and what it is. */
export interface CommandArgument {
  name: string;
  description: string;
}

export type CommandValues = Record<string, string | boolean | undefined>;

export interface CommandArgs {
  values: CommandValues;
  positionals: string[];
}

export interface AdminCommand<Result = unknown> {
  /** e.g. `client create` */
  name: string;
  usage: string;
  summary: string;
  options: Record<string, CommandOption>;
  /** The positional arguments, all required. */
  positionals?: CommandArgument[];
  /** Invocations as an operator would type them (after `propusk admin `), shown by `--help`. */
  examples: readonly string[];
  run(ctx: AppContext, args: CommandArgs, io: CommandIO): Promise<Result>;
  /** Human output; JSON output prints the return value of run. */
  format?(result: Result): string;
}

/** Defines a command; its result type flows from `run` to `format`. */
export const command = <Result>(definition: AdminCommand<Result>): AdminCommand<Result> => definition;

/** Options every command has, besides its own. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean', description: 'print the result as JSON' },
  help: { type: 'boolean', short: 'h', description: 'print this help and exit' },
} as const satisfies Record<string, CommandOption>;

/** The option name a parseArgs message is about (`'--name <value>'`, `'-x'`). */
const optionIn = (message: string): string | undefined => /'(--?[^' ]+)/.exec(message)?.[1];

/** A usage error in our words: what is wrong with which flag, a suggestion for a typo, never the parser's wording. */
function usageErrorOf(cmd: AdminCommand, err: { code?: unknown; message: string }): UsageError {
  const all = { ...cmd.options, ...COMMON_OPTIONS };
  const option = optionIn(err.message);
  const usage = `\nusage: propusk admin ${cmd.usage}\n(propusk admin ${cmd.name} --help describes every flag)`;
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const name = option ?? 'that flag';
      const known = Object.keys(all).map((n) => `--${n}`);
      return new UsageError(`unknown flag ${name} for "${cmd.name}"${didYouMean(name.replace(/=.*$/, ''), known, (s) => s)}${usage}`);
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const name = option ?? 'a flag';
      const def = all[name.replace(/^--?/, '') as keyof typeof all] as CommandOption | undefined;
      return new UsageError(def?.type === 'boolean' ? `${name} takes no value${usage}` : `${name} needs a value${usage}`);
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`unexpected argument${usage}`);
    default:
      return new UsageError(`${err.message.split('\n')[0]}${usage}`);
  }
}

/** `propusk admin <command> --help`: usage, what it does, each argument and flag, examples. */
export function commandHelp(cmd: AdminCommand): string {
  const rows: [string, string][] = [
    ...(cmd.positionals ?? []).map((p): [string, string] => [`<${p.name}>`, p.description]),
    ...Object.entries<CommandOption>({ ...cmd.options, ...COMMON_OPTIONS }).map(([name, o]): [string, string] => [
      `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ' <value>' : ''}`,
      o.description,
    ]),
  ];
  const width = Math.min(34, Math.max(...rows.map(([left]) => left.length)));
  const line = ([left, right]: [string, string]) => (left.length > width ? `  ${left}\n  ${' '.repeat(width)}  ${right}` : `  ${left.padEnd(width)}  ${right}`);
  const args = cmd.positionals?.length ? rows.slice(0, cmd.positionals.length) : [];
  const flags = rows.slice(args.length);
  return [
    `usage: propusk admin ${cmd.usage}`,
    '',
    cmd.summary,
    ...(args.length ? ['', 'arguments:', ...args.map(line)] : []),
    '',
    'flags:',
    ...flags.map(line),
    '',
    'examples:',
    ...cmd.examples.map((e) => `  propusk admin ${e}`),
    '',
  ].join('\n');
}

const parseArgsOptions = (options: Record<string, CommandOption>): NonNullable<ParseArgsConfig['options']> =>
  Object.fromEntries(Object.entries(options).map(([name, o]) => [name, o.short ? { type: o.type, short: o.short } : { type: o.type }]));

/**
 * Splits argv into options and positionals before parseArgs sees it, so that a positional value
 * that starts with a dash (a base64url kid or thumbprint such as `-4Xq_…`) is taken as the
 * positional it is while the command still expects one. A dashed argument that looks like an
 * option name (`--bogus`, `-v`) or comes after the expected positionals is left for parseArgs,
 * which refuses it as an unknown option.
 */
function separatePositionals(options: NonNullable<ParseArgsConfig['options']>, argv: string[], expected: number): string[] {
  const long = new Map(Object.entries(options));
  const short = new Map(Object.entries(options).flatMap(([, o]) => (o.short ? [[o.short, o] as const] : [])));
  const opts: string[] = [];
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const option = arg.startsWith('--') ? long.get(arg.slice(2).split('=')[0]!) : arg.length === 2 ? short.get(arg[1]!) : undefined;
    if (option) {
      opts.push(arg);
      // A string option's value is the next argument unless it was given as --name=value.
      if (option.type === 'string' && !arg.includes('=') && i + 1 < argv.length) opts.push(argv[++i]!);
    } else if (!/^--?[a-z][a-z0-9-]*(=.*)?$/.test(arg) && positionals.length < expected) {
      positionals.push(arg);
    } else {
      opts.push(arg);
    }
  }
  return [...opts, '--', ...positionals];
}

export function parse(cmd: AdminCommand, argv: string[]): CommandArgs {
  const options = parseArgsOptions({ ...cmd.options, ...COMMON_OPTIONS });
  let parsed;
  try {
    parsed = parseArgs({ args: separatePositionals(options, argv, cmd.positionals?.length ?? 0), options, allowPositionals: true, strict: true });
  } catch (err) {
    throw usageErrorOf(cmd, err as { code?: unknown; message: string });
  }
  const expected = cmd.positionals ?? [];
  if (!parsed.values.help && parsed.positionals.length !== expected.length) {
    throw new UsageError(`expected ${expected.length ? expected.map((p) => `<${p.name}>`).join(' ') : 'no positional arguments'}\nusage: propusk admin ${cmd.usage}`);
  }
  return parsed as CommandArgs;
}

export function requireString(values: CommandValues, name: string, usage: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required\nusage: propusk admin ${usage}`);
  return v;
}

export function optionalString(values: CommandValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** Reads all of stdin (for --password-stdin), without the trailing newline. */
export async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stdin) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** A text table of `rows` with the given columns (a column names a field of the rows). */
export function table<Row extends object>(rows: readonly Row[], columns: ReadonlyArray<keyof Row & string>): string {
  if (rows.length === 0) return '(none)\n';
  const cell = (v: unknown) => (v === null || v === undefined ? '-' : v instanceof Date ? v.toISOString() : Array.isArray(v) ? v.join(',') : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line([...columns]), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n') + '\n';
}

/** Said on standard error when a command prints a link but the server's address is not known (AppContext.knownIssuer). */
export function warnIssuerUnknown(): void {
  process.stderr.write(
    "propusk admin: the server's address is unknown (no server has started on this database, and PROPUSK_ISSUER is not set): the link below is only its path; put the issuer's URL before it\n",
  );
}
