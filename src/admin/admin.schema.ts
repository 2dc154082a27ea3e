import { z } from 'zod';
import { USER_ROLES } from '../db/tables/auth.table.js';
import { paginationQuerySchema } from '../shared/http-schemas.js';

export const roleSchema = z.enum(USER_ROLES).meta({
  example: 'investigator',
  description:
    'admin: everything, incl. users, the whole audit log and system status; investigator: ' +
    'creates cases, footage and searches; viewer: reads only what is shared with them',
});

export const adminUserSchema = z
  .object({
    id: z.uuid(),
    username: z.string().meta({ example: 'jdoe' }),
    email: z.string().meta({ example: 'jdoe@example.com' }),
    displayName: z.string().nullable(),
    role: roleSchema,
    disabledAt: z.iso.datetime().nullable(),
    lastSeenAt: z.iso.datetime().nullable().meta({ description: 'Last use of any session' }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'AdminUser' });

export const listUsersQuerySchema = paginationQuerySchema.extend({
  q: z.string().trim().max(254).optional().meta({ description: 'Part of the username or e-mail' }),
  role: roleSchema.optional(),
  status: z.enum(['active', 'disabled']).optional(),
});

export const patchUserBodySchema = z
  .object({
    role: roleSchema.optional(),
    disabled: z.boolean().optional().meta({
      description: 'true signs the user out everywhere at once and refuses their sign-ins',
    }),
  })
  .refine((body) => body.role !== undefined || body.disabled !== undefined, {
    message: 'Give role and/or disabled',
  });

export const adminAuditQuerySchema = paginationQuerySchema.extend({
  userId: z.uuid().optional(),
  action: z
    .string()
    .trim()
    .max(100)
    .regex(/^[\w.-]+$/)
    .optional()
    .meta({ example: 'admin.', description: 'An action, or a prefix ending in "."' }),
});

export const adminAuditEventSchema = z
  .object({
    id: z.uuid(),
    userId: z.string().nullable(),
    username: z.string().nullable().meta({ example: 'jdoe' }),
    action: z.string().meta({ example: 'admin.user.disable' }),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    description: z.string().nullable(),
    ip: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'AdminAuditEvent' });

export const systemStatusSchema = z
  .object({
    version: z.string(),
    uptimeSeconds: z.number(),
    database: z.enum(['sqlite', 'postgres']),
    registration: z.enum(['open', 'invite', 'closed']),
    users: z.object({
      admin: z.number().int(),
      investigator: z.number().int(),
      viewer: z.number().int(),
    }),
    queue: z.object({
      queued: z.number().int(),
      running: z.number().int(),
      failed: z.number().int(),
      workersBusy: z.number().int(),
      workers: z.number().int(),
    }),
  })
  .meta({ id: 'SystemStatus' });

export type AdminUser = z.output<typeof adminUserSchema>;
export type AdminAuditEvent = z.output<typeof adminAuditEventSchema>;
export type SystemStatus = z.output<typeof systemStatusSchema>;
