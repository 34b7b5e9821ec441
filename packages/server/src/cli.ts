/** `propusk <command>`: serve, admin (operators), login/token/logout (device-flow client). */
import { runAdmin } from './admin/index.ts';

const USAGE = `usage: propusk <command>

  serve                 start the provider (same as npm start)
  admin <group> <cmd>   manage users, clients, api-keys, resources, keys, partners, links (propusk admin --help)
  login                 sign in with the device flow and store the tokens (propusk login --help)
  token                 print a valid access token (refreshing it when needed)
  logout                revoke and delete the stored tokens
`;

export async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve': {
      const { main } = await import('./main.ts');
      await main();
      return 0;
    }
    case 'admin':
      return runAdmin(rest);
    case 'login':
    case 'token':
    case 'logout': {
      const { runDeviceCommand } = await import('./device-client/cli.ts');
      return runDeviceCommand(command, rest);
    }
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`propusk: unknown command ${JSON.stringify(command)}\n${USAGE}`);
      return 2;
  }
}
