import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import dotenv from 'dotenv';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const commaItems = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

const commaList = z.string().transform(commaItems);

const PROXY_KEYWORDS = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(value: string): boolean {
  if (PROXY_KEYWORDS.has(value)) return true;
  const [address = '', bits, ...rest] = value.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  const prefix = Number(bits);
  return /^\d+$/.test(bits) && prefix <= (version === 4 ? 32 : 128);
}

/**
 * Which proxies may set X-Forwarded-*: none (`false`), the nearest N hops (`1`), or a list of
 * addresses, CIDRs and `loopback`/`linklocal`/`uniquelocal`. "Trust everyone" is refused: it lets
 * any client choose the IP that rate limits, sessions and the audit log record.
 */
const trustProxy = z.string().transform((value, ctx): false | number | string[] => {
  const text = value.trim().toLowerCase();
  if (['false', '0', 'no', 'off'].includes(text)) return false;
  if (/^\d+$/.test(text)) return Number(text);
  const items = commaItems(text);
  const wrong = items.filter((item) => !isProxyAddress(item));
  if (items.length === 0 || wrong.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message:
        `give a hop count (e.g. 1) or proxy addresses/CIDRs, not "${wrong.join(', ') || value}"` +
        ' (trusting every proxy would let any client forge its IP)',
    });
    return z.NEVER;
  }
  return items;
});

/** `a.b.c.d/n` and `x::y/n` (or single addresses), checked when the configuration is read. */
function isNetworkList(values: string[]): boolean {
  return values.every((value) => ipaddr.isValidCIDR(value) || ipaddr.isValid(value));
}

const networkList = commaList.refine(isNetworkList, 'must be comma-separated CIDRs or addresses');

/** Every setting the product reads, with its default. docs/configuration.md's table mirrors this. */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().default('./data'),
  /** The master key (32 random bytes, base64); by default DATA_DIR/keys/master.key, made on first start. */
  ENCRYPTION_KEY_FILE: z.string().optional(),
  STORAGE_URL: z
    .string()
    .regex(/^s3:\/\/[^/?]+\/?(\?.*)?$/, 'must be s3://bucket?endpoint=…&region=…')
    .optional(),
  AWS_ACCESS_KEY_ID: z.string().optional(),
  AWS_SECRET_ACCESS_KEY: z.string().optional(),
  AWS_SESSION_TOKEN: z.string().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: trustProxy.default(false),
  SESSION_IDLE_MINUTES: z.coerce.number().positive().default(30),
  SESSION_MAX_HOURS: z.coerce.number().positive().default(12),
  METRICS_TOKEN: z.string().min(24, 'use at least 24 random characters').optional(),
  WS_REVALIDATE_SECONDS: z.coerce.number().positive().max(3600).default(30),
  LOGIN_CACHE_SECONDS: z.coerce.number().min(0).max(10).default(2),
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  CORS_ORIGINS: commaList.default([]),
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1_048_576),
  MAX_PHOTO_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(15 * 1024 * 1024),
  MAX_VIDEO_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(4 * 1024 ** 3),
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(10),
  LOGIN_SLOWDOWN_MAX_SECONDS: z.coerce.number().min(0).max(30).default(3),
  LOGIN_ALERT_FAILURES: z.coerce.number().int().min(1).default(20),
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  UPLOAD_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(60),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Missing Person Finder <no-reply@localhost>'),
  PASSWORD_RESET_MINUTES: z.coerce.number().positive().default(60),
  REGISTRATION: z.enum(['open', 'invite', 'closed']).default('invite'),
  INVITATION_DAYS: z.coerce.number().positive().max(90).default(7),
  /** Days a found or closed case is kept before the daily purge deletes it (per-case override). */
  RETENTION_DAYS: z.coerce.number().int().min(1).max(36500).default(90),
  /** Days audit-log rows are kept. */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36500).default(365),
  MAX_ACTIVE_SEARCHES_PER_USER: z.coerce.number().int().min(1).default(5),
  MAX_LIVE_FEEDS_PER_USER: z.coerce.number().int().min(1).default(4),
  FFMPEG_PATH: z.string().optional(),
  FFPROBE_PATH: z.string().optional(),
  MAX_VIDEO_PIXELS: z.coerce
    .number()
    .int()
    .positive()
    .default(8192 * 4320),
  MAX_VIDEO_SIDE: z.coerce.number().int().positive().default(16384),
  MAX_VIDEO_SECONDS: z.coerce.number().positive().default(86400),
  MAX_PHOTO_PIXELS: z.coerce.number().int().positive().default(50_000_000),
  USER_STORAGE_QUOTA_BYTES: z.coerce.number().int().min(0).default(0),
  MEDIA_THREADS: z.coerce.number().int().min(1).max(64).default(2),
  MEDIA_PROBE_TIMEOUT_SECONDS: z.coerce.number().positive().max(3600).default(30),
  MEDIA_TIMEOUT_FACTOR: z.coerce.number().positive().default(20),
  MEDIA_MEMORY_LIMIT_MB: z.coerce.number().int().min(0).default(4096),
  FACE_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
  LIVE_PROBE_TIMEOUT_SECONDS: z.coerce.number().positive().max(120).default(8),
  LIVE_STALL_SECONDS: z.coerce.number().positive().max(300).default(5),
  LIVE_MAX_BACKOFF_SECONDS: z.coerce.number().positive().max(3600).default(30),
  LIVE_FEED_ALLOWED_NETWORKS: networkList.default([]),
  LIVE_FEED_ALLOW_PRIVATE: booleanFlag.default(true),
  WEBHOOK_ALLOWED_NETWORKS: networkList.default([]),
  WEBHOOK_ALLOW_PRIVATE: booleanFlag.default(false),
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  LIVE_MAX_FEEDS: z.coerce.number().int().min(0).max(64).default(4),
  EMBEDDED_WORKERS: booleanFlag.default(true),
  JOB_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(30),
  JOB_STOP_TIMEOUT_SECONDS: z.coerce.number().min(0).max(600).default(20),
  /** Where scheduled backups are written; they are off without it. */
  BACKUP_DIR: z.string().optional(),
  /** Hours between scheduled backups; 0 turns them off. */
  BACKUP_INTERVAL_HOURS: z.coerce.number().min(0).default(0),
  /** How many scheduled backups to keep in BACKUP_DIR (the newest). */
  BACKUP_KEEP: z.coerce.number().int().min(1).default(7),
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w-]+$/, 'letters, digits, _ and - only')
    .default('mpf'),
});

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses settings from `env`; throws a ConfigError listing every problem at once. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  return result.data;
}

/** Reads `.env` (when present) under the real environment, which wins. */
export function loadConfig(): Config {
  const envFile = path.resolve('.env');
  const fromFile = existsSync(envFile) ? dotenv.config({ path: envFile, quiet: true }).parsed : {};
  return parseConfig({ ...fromFile, ...process.env });
}

export function sqlitePath(config: Config): string {
  return path.join(config.DATA_DIR, 'app.db');
}
