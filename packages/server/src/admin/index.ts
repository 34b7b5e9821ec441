/** `propusk admin <group> <command>`: the registry of admin commands and the runner that maps errors to one-line messages and exit codes. */
import { loadConfig, ConfigError } from '../config/index.ts';
import { createLogger } from '../logger.ts';
import { createContext, type AppContext } from '../context.ts';
import { inspectDatabase } from '../storage/database.ts';
import { DomainError } from '../shared/errors.ts';
import { commandHelp, parse, UsageError, type AdminCommand, type CommandArgs, type CommandIO } from './command.ts';
import { didYouMean } from './suggest.ts';
import { userCreate } from './commands/user-create.ts';
import { userList } from './commands/user-list.ts';
import { userDisable, userEnable } from './commands/user-disable.ts';
import { userSetPassword } from './commands/user-set-password.ts';
import { userPasswordLink } from './commands/user-password-link.ts';
import { userSetPhone } from './commands/user-set-phone.ts';
import { userUpdate } from './commands/user-update.ts';
import { userResetMfa } from './commands/user-reset-mfa.ts';
import { clientCreate } from './commands/client-create.ts';
import { clientList } from './commands/client-list.ts';
import { clientIssueKey } from './commands/client-issue-key.ts';
import { clientRevokeKey } from './commands/client-revoke-key.ts';
import { clientListKeys } from './commands/client-list-keys.ts';
import { clientInvite } from './commands/client-invite.ts';
import { resourceCreate } from './commands/resource-create.ts';
import { resourceList } from './commands/resource-list.ts';
import { keysRotate } from './commands/keys-rotate.ts';
import { keysList } from './commands/keys-list.ts';
import { clientGrantPermission } from './commands/client-grant-permission.ts';
import { clientRevokePermission } from './commands/client-revoke-permission.ts';
import { partnerAddKey } from './commands/partner-add-key.ts';
import { partnerListKeys } from './commands/partner-list-keys.ts';
import { partnerRemoveKey } from './commands/partner-remove-key.ts';
import { partnerRequireAud } from './commands/partner-require-aud.ts';
import { linkCreate } from './commands/link-create.ts';
import { linkList } from './commands/link-list.ts';
import { linkRemove } from './commands/link-remove.ts';
import { userRevokeTokens } from './commands/user-revoke-tokens.ts';
import { clientRevokeTokens } from './commands/client-revoke-tokens.ts';
import { clientRequireDpop } from './commands/client-require-dpop.ts';
import { clientRequireMfa } from './commands/client-require-mfa.ts';
import { clientDisable, clientEnable } from './commands/client-disable.ts';
import { auditTail } from './commands/audit-tail.ts';
import { userGrantRole, userRevokeRole, clientGrantRole, clientRevokeRole } from './commands/roles.ts';

/** Every admin command, in the order `propusk admin --help` and docs/cli-reference.md list them. */
export const commands: AdminCommand[] = [
  userCreate,
  userList,
  userDisable,
  userEnable,
  userSetPassword,
  userPasswordLink,
  userSetPhone,
  userUpdate,
  userRevokeTokens,
  userResetMfa,
  userGrantRole,
  userRevokeRole,
  clientCreate,
  clientList,
  clientIssueKey,
  clientRevokeKey,
  clientListKeys,
  clientRevokeTokens,
  clientDisable,
  clientEnable,
  clientInvite,
  clientGrantPermission,
  clientRevokePermission,
  clientRequireDpop,
  clientRequireMfa,
  clientGrantRole,
  clientRevokeRole,
  partnerAddKey,
  partnerListKeys,
  partnerRemoveKey,
  partnerRequireAud,
  linkCreate,
  linkList,
  linkRemove,
  resourceCreate,
  resourceList,
  keysRotate,
  keysList,
  auditTail,
];

/** The command groups (`user`, `client`, …), in the order of `commands`. */
export const groups = (): string[] => [...new Set(commands.map((c) => c.name.split(' ')[0]!))];

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `usage: propusk admin <group> <command> [options] [--json]\n\n${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}\n\nEvery command accepts --json for machine-readable output and --help for its flags and examples;\npropusk admin <group> --help lists a group's commands.\nThe database is DATABASE_URL's (as for the server); it must exist unless --create-database is given;\n--verbose says which database was opened.\n`;
}

/** `propusk admin <group> --help`: the group's commands, each with what it does. */
export function groupHelp(group: string): string {
  const own = commands.filter((c) => c.name.startsWith(`${group} `));
  const width = Math.max(...own.map((c) => c.name.length - group.length - 1));
  return `usage: propusk admin ${group} <command> [options] [--json]\n\n${own.map((c) => `  ${c.name.slice(group.length + 1).padEnd(width)}  ${c.summary}`).join('\n')}\n\npropusk admin ${group} <command> --help describes a command's flags, with examples.\n`;
}

const isHelp = (arg: string | undefined) => arg === '--help' || arg === '-h' || arg === 'help';

/** Says why no command matched: an unknown group, or a command the group does not have; with the closest name. */
function unknownCommand(group: string, name: string | undefined): string {
  const all = groups();
  if (!all.includes(group)) {
    return `propusk admin: unknown command group "${group}"${didYouMean(group, all)} (propusk admin --help lists the groups)\n`;
  }
  const own = commands.filter((c) => c.name.startsWith(`${group} `)).map((c) => c.name.slice(group.length + 1));
  return `propusk admin: unknown command "${group} ${name}"${didYouMean(name ?? '', own, (s) => `"${group} ${s}"`)} (propusk admin ${group} --help lists its commands)\n`;
}

/** Runs the command and presents its result: JSON with --json (or without a format), else the command's own text. */
async function present<Result>(cmd: AdminCommand<Result>, context: AppContext, args: CommandArgs, io: CommandIO): Promise<string> {
  const result = await cmd.run(context, args, io);
  return args.values.json || !cmd.format ? `${JSON.stringify(result, null, 2)}\n` : cmd.format(result);
}

/** Options of every command, taken out of the arguments wherever they stand. */
export const GLOBAL_OPTIONS = {
  '--create-database': 'create the database (and migrate it) when it does not exist yet',
  '--verbose': 'say on standard error which database was opened',
} as const;

export async function runAdmin(argv: string[], io: CommandIO = { stdout: process.stdout, stdin: process.stdin }, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const dashDash = argv.indexOf('--');
  const globalPart = dashDash === -1 ? argv : argv.slice(0, dashDash);
  const createDatabase = globalPart.includes('--create-database');
  const verbose = globalPart.includes('--verbose');
  argv = [...globalPart.filter((a) => !Object.hasOwn(GLOBAL_OPTIONS, a)), ...(dashDash === -1 ? [] : argv.slice(dashDash))];
  const [group, name, ...rest] = argv;
  if (group === undefined || group === '--help' || group === '-h' || group === 'help') {
    io.stdout.write(help());
    return group === undefined ? 2 : 0;
  }
  if (groups().includes(group) && (name === undefined || isHelp(name))) {
    io.stdout.write(groupHelp(group));
    return name === undefined ? 2 : 0;
  }
  const cmd = commands.find((c) => c.name === `${group} ${name ?? ''}`);
  if (!cmd) {
    process.stderr.write(unknownCommand(group, name));
    return 2;
  }
  let context: AppContext | undefined;
  try {
    const args = parse(cmd, rest);
    if (args.values.help) {
      io.stdout.write(commandHelp(cmd));
      return 0;
    }
    const config = loadConfig({ ...env, PROPUSK_LOG_LEVEL: env.PROPUSK_ADMIN_LOG_LEVEL ?? 'warn' });
    // Only an existing Propusk database, unless told to create one: run from another folder, the
    // default sqlite:./data/propusk.sqlite would otherwise be a new, empty database.
    const database = await inspectDatabase(config.databaseUrl);
    if (verbose) process.stderr.write(`propusk admin: database ${database.location} (${database.exists ? `${database.migrations} migrations applied` : 'does not exist'})\n`);
    if (database.migrations === 0 && !createDatabase) {
      process.stderr.write(
        `propusk admin: no Propusk database at ${database.location}; run where the server runs, set DATABASE_URL to its database, or add --create-database to create one there\n`,
      );
      return 1;
    }
    context = await createContext(config, createLogger(config.logLevel, process.stderr as never));
    io.stdout.write(await present(cmd, context, args, io));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`propusk admin: ${err.message}\n`);
      return 2;
    }
    if (err instanceof DomainError || err instanceof ConfigError) {
      process.stderr.write(`propusk admin: ${err.message}\n`);
      return 1;
    }
    process.stderr.write(`propusk admin: ${(err as Error).message ?? String(err)}\n`);
    return 1;
  } finally {
    await context?.close();
  }
}
