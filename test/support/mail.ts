import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Undoes quoted-printable soft breaks and escapes, so a link reads as sent. */
export const decodeQuotedPrintable = (text: string) =>
  text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** Every complete mail in the outbox of DATA_DIR `dataDir`, decoded, oldest first. */
export async function outboxMails(dataDir: string): Promise<string[]> {
  const outbox = path.join(dataDir, 'outbox');
  const files = await readdir(outbox).catch(() => [] as string[]);
  const mails = await Promise.all(
    files
      .filter((f) => f.endsWith('.eml'))
      .sort()
      .map((f) => readFile(path.join(outbox, f), 'utf8')),
  );
  return mails.map(decodeQuotedPrintable);
}

/** Waits until at least `count` mails to `address` (matching `subject`, if given) are in the outbox. */
export async function mailsTo(
  dataDir: string,
  address: string,
  count = 1,
  subject?: RegExp,
): Promise<string[]> {
  for (let i = 0; i < 50; i += 1) {
    const mine = (await outboxMails(dataDir)).filter(
      (m) => m.includes(`To: ${address}`) && (!subject || subject.test(m)),
    );
    if (mine.length >= count) return mine;
    await sleep(100);
  }
  throw new Error(`no mail to ${address} in ${dataDir}/outbox`);
}

/** The `token` query parameter of the first link to `pathname` in a mail. */
export function linkToken(mail: string, pathname: string): string {
  const match = new RegExp(`${pathname}\\?token=([\\w-]+)`).exec(mail);
  if (!match?.[1]) throw new Error(`no ${pathname} link in:\n${mail}`);
  return match[1];
}

/** The token of the newest invitation link mailed to `address` (the `count`th one). */
export async function mailedInvitationToken(
  dataDir: string,
  address: string,
  count = 1,
): Promise<string> {
  const mails = await mailsTo(dataDir, address, count);
  return linkToken(mails[mails.length - 1]!, '/accept-invitation');
}
