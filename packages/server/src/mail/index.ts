/**
 * Outgoing e-mail: one `MailSender` for the whole server, chosen by configuration.
 * - `smtp`: Nodemailer over SMTP (`PROPUSK_SMTP_URL`, STARTTLS or TLS as the URL says). The URL
 *   carries the password: it is never logged.
 * - `dev`: each message is written as an `.eml` file (RFC 5322, as Nodemailer builds it) to a folder,
 *   and the log names the file and the recipient — a developer opens the file to follow a link. It
 *   is refused in production (config/index.ts): a message may hold a one-time link.
 * - `off`: nothing can be sent; features that need mail are not offered (`enabled` is false).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type * as Nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { Config } from '../config/index.ts';
import type { Logger } from '../logger.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string | undefined;
  /** The message's language (`Content-Language`). */
  language?: string | undefined;
}

export interface MailSender {
  /** False when no transport is configured. */
  readonly enabled: boolean;
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/**
 * Nodemailer, imported when the first message is sent: a server that sends none (or has mail off)
 * never loads it (~2 MiB of heap, docs/performance-memory.md).
 */
let nodemailer: Promise<typeof Nodemailer> | undefined;
const createTransport = async (options: Parameters<typeof Nodemailer.createTransport>[0]): Promise<Transporter> =>
  (await (nodemailer ??= import('nodemailer'))).default.createTransport(options);

const headers = (m: MailMessage) => (m.language ? { 'Content-Language': m.language } : undefined);

class OffSender implements MailSender {
  readonly enabled = false;
  async send(): Promise<void> {
    throw new Error('no mail transport is configured (PROPUSK_MAIL_TRANSPORT=off)');
  }
  close(): void {}
}

/** Development: builds the message with Nodemailer's stream transport and writes it to `<dir>/<time>-<random>.eml`. */
class FileSender implements MailSender {
  readonly enabled = true;
  #transport: Promise<Transporter> | undefined;
  constructor(
    private readonly dir: string,
    private readonly from: string,
    private readonly logger: Logger,
  ) {}

  async send(message: MailMessage): Promise<void> {
    this.#transport ??= createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    const info = await (await this.#transport).sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text, html: message.html, headers: headers(message) });
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = join(this.dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`);
    await writeFile(file, info.message as Buffer, { mode: 0o600 });
    this.logger.info({ mail: { to: message.to, subject: message.subject, file } }, 'e-mail written to a file (PROPUSK_MAIL_TRANSPORT=dev)');
  }
  close(): void {}
}

class SmtpSender implements MailSender {
  readonly enabled = true;
  #transport: Promise<Transporter> | undefined;
  constructor(
    private readonly url: string,
    private readonly from: string,
    private readonly logger: Logger,
  ) {}

  async send(message: MailMessage): Promise<void> {
    this.#transport ??= createTransport(this.url);
    const info = await (await this.#transport).sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text, html: message.html, headers: headers(message) });
    this.logger.info({ mail: { to: message.to, subject: message.subject, messageId: info.messageId } }, 'e-mail sent');
  }
  close(): void {
    void this.#transport?.then(
      (t) => t.close(),
      () => undefined,
    );
  }
}

export function createMailSender(config: Config['mail'], logger: Logger): MailSender {
  switch (config.transport) {
    case 'off':
      return new OffSender();
    case 'dev':
      return new FileSender(resolve(config.dir), config.from, logger);
    case 'smtp':
      return new SmtpSender(config.url, config.from, logger);
  }
}
