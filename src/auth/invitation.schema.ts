import { z } from 'zod';
import { USER_ROLES } from '../db/tables/auth.table.js';
import { emailSchema, passwordSchema, usernameSchema } from './auth.schema.js';

const roleSchema = z.enum(USER_ROLES).meta({ example: 'viewer' });

export const invitationSchema = z
  .object({
    id: z.uuid(),
    email: z.string().meta({ example: 'volunteer@example.org' }),
    role: roleSchema,
    status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
    invitedBy: z.string().nullable().meta({ example: 'jdoe', description: 'Username' }),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    acceptedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Invitation' });

export const createInvitationBodySchema = z.object({
  email: emailSchema,
  role: roleSchema.default('investigator'),
});

export const invitationTokenSchema = z
  .string()
  .min(1)
  .max(200)
  .meta({ example: 'mpi_G8N…', description: 'From the e-mailed link' });

export const invitationLookupSchema = z.object({
  email: z.string().meta({ example: 'volunteer@example.org' }),
  role: roleSchema,
  expiresAt: z.iso.datetime(),
});

export const acceptInvitationBodySchema = z.object({
  token: invitationTokenSchema,
  username: usernameSchema,
  password: passwordSchema,
});

export type Invitation = z.output<typeof invitationSchema>;
