import { chmod, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { pino, type Logger } from 'pino';
import type { Config } from '../config.js';
import { newId } from '../shared/clock.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Files sent with the message (e.g. the frame of a live match). */
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

/** Sends e-mail: through SMTP when SMTP_URL is set, otherwise into DATA_DIR/outbox as .eml files. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export function outboxDir(config: Config): string {
  return path.join(config.DATA_DIR, 'outbox');
}

function smtpMailer(config: Config, url: string, log: Logger): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    async send(message) {
      const info = await transport.sendMail({ from: config.MAIL_FROM, ...message });
      log.info(
        { to: message.to, subject: message.subject, messageId: info.messageId },
        'mail sent',
      );
    },
    close: () => transport.close(),
  };
}

/**
 * Without a mail server every message is kept as a raw RFC 822 file that any mail client opens,
 * so password reset works on a fresh install and tests can read what was "sent".
 */
function outboxMailer(config: Config, log: Logger): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
  const dir = outboxDir(config);
  return {
    async send(message) {
      const info = await transport.sendMail({ from: config.MAIL_FROM, ...message });
      // Mails hold reset and confirmation links: only the service user may read them.
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await chmod(dir, 0o700);
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const file = path.join(dir, `${stamp}-${newId()}.eml`);
      // Written aside and renamed, so whoever watches the outbox never opens a half-written mail.
      await writeFile(`${file}.part`, info.message, { mode: 0o600 });
      await rename(`${file}.part`, file);
      log.info({ to: message.to, subject: message.subject, file }, 'mail written to the outbox');
    },
    close: () => transport.close(),
  };
}

export function createMailer(config: Config): Mailer {
  const log = pino({ level: config.LOG_LEVEL, name: 'mail' });
  return config.SMTP_URL ? smtpMailer(config, config.SMTP_URL, log) : outboxMailer(config, log);
}

/**
 * Deletes outbox mails (and abandoned `.part` files) written before `before`: they hold links
 * that have expired by then. Answers how many files went; no outbox is no error.
 */
export async function purgeOutbox(config: Config, before: Date): Promise<number> {
  const dir = outboxDir(config);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  let purged = 0;
  for (const name of names.filter((entry) => /\.eml(\.part)?$/.test(entry))) {
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => undefined);
    if (!info || info.mtime.getTime() >= before.getTime()) continue;
    await rm(file, { force: true });
    purged += 1;
  }
  return purged;
}
