/**
 * Opening the verification page for `propusk login`: whether this terminal can (an interactive
 * terminal on stdin and stdout, and a way to open a browser: $BROWSER, or `open` on macOS, `start`
 * on Windows, `xdg-open` with a display elsewhere; not in CI, nor over SSH without a display), and
 * the opener itself, started detached so that it never holds the command up.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface Opener {
  command: string;
  args: string[];
}

function onPath(name: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The command that opens a URL here, or undefined when there is no browser to open. */
export function browserOpener(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Opener | undefined {
  if (env.BROWSER) return { command: env.BROWSER, args: [] };
  if (env.CI) return undefined;
  const display = Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
  // Over SSH a browser would open on the remote desktop, unless a display is forwarded.
  if ((env.SSH_CONNECTION || env.SSH_TTY) && !display) return undefined;
  if (platform === 'darwin') return { command: 'open', args: [] };
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""'] };
  if (!display) return undefined;
  return onPath('xdg-open', env) ? { command: 'xdg-open', args: [] } : undefined;
}

/** Starts the opener on `url`; resolves once it has started, rejects with the reason it could not. */
export function openBrowser(opener: Opener, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(opener.command, [...opener.args, url], { detached: true, stdio: 'ignore', windowsVerbatimArguments: opener.command === 'cmd' });
    child.once('error', (err: NodeJS.ErrnoException) => reject(new Error(err.code === 'ENOENT' ? `${opener.command}: not found` : `${opener.command}: ${err.code ?? err.message}`)));
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
