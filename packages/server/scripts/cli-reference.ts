/**
 * Generates docs/cli-reference.md from the admin CLI's command registry (src/admin/index.ts):
 * every command with its usage, arguments and options. `npm run docs:generate` writes it; the test
 * suite checks it is current.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { commands, GLOBAL_OPTIONS } from '../src/admin/index.ts';
import { COMMON_OPTIONS, type AdminCommand, type CommandOption } from '../src/admin/command.ts';
import { deviceCommandHelp } from '../src/device-client/cli.ts';

export const cliReferencePath = resolve(import.meta.dirname, '../../../docs/cli-reference.md');

const cell = (text: string): string => text.replace(/\|/g, '\\|');

const optionName = (name: string, o: CommandOption): string => `\`--${name}${o.type === 'string' ? ' <value>' : ''}\`${o.short ? ` (\`-${o.short}\`)` : ''}`;

function renderCommand(cmd: AdminCommand): string {
  const parts = [`### \`${cmd.name}\``, `${cmd.summary[0]!.toUpperCase()}${cmd.summary.slice(1)}.`, `\`\`\`\npropusk admin ${cmd.usage}\n\`\`\``];
  if (cmd.positionals?.length) {
    parts.push(`| argument | meaning |\n|---|---|\n${cmd.positionals.map((p) => `| \`<${p.name}>\` | ${cell(p.description)} |`).join('\n')}`);
  }
  const options = Object.entries(cmd.options);
  if (options.length) parts.push(`| option | meaning |\n|---|---|\n${options.map(([name, o]) => `| ${optionName(name, o)} | ${cell(o.description)} |`).join('\n')}`);
  parts.push(`Examples:\n\n\`\`\`sh\n${cmd.examples.map((e) => `propusk admin ${e}`).join('\n')}\n\`\`\``);
  return `${parts.join('\n\n')}\n`;
}

export function renderCliReference(): string {
  const groups = [...new Set(commands.map((c) => c.name.split(' ')[0]!))];
  const sections = groups.map((group) => `## ${group}\n\n${commands.filter((c) => c.name.split(' ')[0] === group).map(renderCommand).join('\n')}`);
  const common = Object.entries(COMMON_OPTIONS).map(([name, o]) => `| ${optionName(name, o)} | ${cell(o.description)} |`);
  const global = Object.entries(GLOBAL_OPTIONS).map(([name, meaning]) => `| \`${name}\` | ${cell(meaning)} |`);
  return `# Admin CLI reference

\`propusk admin <group> <command> [options] [--json]\` manages accounts, clients, API resources,
partner keys, links, signing keys and the audit log. It works on the database the server uses
(\`DATABASE_URL\`, as for the server). This file is generated from the command registry in
\`packages/server/src/admin/index.ts\` (and the help of \`propusk login\`, \`token\` and \`logout\`) by
\`npm run docs:generate\`; do not edit it by hand.

Exit codes: \`0\` done; \`1\` refused (unknown account or client, invalid value, no database) with
one line on standard error; \`2\` a usage error (unknown command or option, missing argument), with
the closest known name when it looks like a typo (\`unknown flag --grant-type for "client create";
did you mean --grant-types?\`).

\`propusk admin --help\` lists every command, \`propusk admin <group> --help\` a group's, and
\`propusk admin <group> <command> --help\` describes a command's arguments and flags with examples.

In \`--json\` output a secret is always \`api_key\` (shown once). \`resource create\` also prints it
as \`client_secret\`, its former name, for one more release: read \`api_key\`.

Every command also accepts:

| option | meaning |
|---|---|
${common.join('\n')}
${global.join('\n')}

${sections.join('\n')}
## login, token, logout

The device-flow client ([device-flow.md](device-flow.md#propusk-login-the-device-flow-from-a-terminal)):
\`propusk login\` signs in and keeps the tokens, \`propusk token\` prints a valid access token,
\`propusk logout\` revokes and deletes them. Their messages follow the terminal's language
(\`LC_ALL\`, then \`LC_MESSAGES\`, then \`LANG\`: \`ru…\` is Russian, anything else English).

${(['login', 'token', 'logout'] as const).map((c) => `### \`${c}\`\n\n\`\`\`\n${deviceCommandHelp('en', c, DEFAULT_CREDENTIALS)}\`\`\`\n`).join('\n')}`;
}

/** Where the tokens are kept by default (device-client/store.ts), as the help shows it for a user. */
const DEFAULT_CREDENTIALS = '~/.config/propusk/credentials.json';

if (import.meta.main) {
  writeFileSync(cliReferencePath, renderCliReference());
  console.log(`wrote ${cliReferencePath}`);
}
