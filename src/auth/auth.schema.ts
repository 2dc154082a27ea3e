import { z } from 'zod';
import { apiTokenSchema, sessionSchema } from '../contracts/auth.contract.js';
import { USER_ROLES } from '../db/tables/auth.table.js';

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(3)
  .max(32)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'use letters, digits, dots, dashes and underscores')
  .meta({ example: 'jdoe', description: 'Case-insensitive; stored in lower case' });

export const emailSchema = z
  .email()
  .max(254)
  .transform((value) => value.trim().toLowerCase())
  .meta({ example: 'jdoe@example.com' });

export const passwordSchema = z
  .string()
  .min(1)
  .max(256)
  .meta({ example: 'lantern-orchard-47', description: 'At least 10 characters' });

export const userSchema = z
  .object({
    id: z.uuid(),
    username: z.string().meta({ example: 'jdoe' }),
    email: z.string().meta({ example: 'jdoe@example.com' }),
    displayName: z.string().nullable().meta({ example: 'Jane Doe' }),
    role: z.enum(USER_ROLES).meta({ example: 'investigator' }),
    emailVerified: z
      .boolean()
      .meta({ description: 'Whether a link sent to the e-mail was opened (alerts need it)' }),
    createdAt: z.iso.datetime().meta({ example: '2026-05-01T09:30:00.000Z' }),
  })
  .meta({ id: 'User' });

export const userResponseSchema = z.object({ user: userSchema });

export const registrationInfoSchema = z.object({
  registration: z.enum(['open', 'invite', 'closed']),
  firstRun: z.boolean().meta({ description: 'No account exists yet: the first one becomes admin' }),
});

export const registerBodySchema = z.object({
  username: usernameSchema,
  email: emailSchema,
  password: passwordSchema,
});

export const loginBodySchema = z
  .object({
    username: z.string().trim().toLowerCase().min(1).max(254).optional(),
    email: z.string().trim().toLowerCase().min(1).max(254).optional(),
    password: z.string().min(1).max(256),
  })
  .refine((body) => body.username !== undefined || body.email !== undefined, {
    message: 'Give username or email',
    path: ['username'],
  })
  .meta({ example: { username: 'jdoe', password: 'lantern-orchard-47' } });

export const loginResponseSchema = z.object({
  user: userSchema,
  token: z.string().meta({
    example: 'mpf_3q2x7wZk…',
    description: 'Bearer token for scripts: `Authorization: Bearer <token>`',
  }),
  csrfToken: z.string().meta({
    example: 'Vd4mVJ0h3O2…',
    description: 'Send as `x-csrf-token` on cookie-authenticated POST/PUT/PATCH/DELETE',
  }),
});

export const currentUserResponseSchema = z.object({
  user: userSchema,
  csrfToken: z.string().optional().meta({ description: 'Present when signed in by cookie' }),
});

export const updateUserBodySchema = z
  .object({
    displayName: z.string().trim().max(100).nullable().optional().meta({ example: 'Jane Doe' }),
  })
  .strict()
  .meta({ description: 'The e-mail changes through POST /api/auth/email (confirmed by a link)' });

export const changeEmailBodySchema = z.object({
  email: emailSchema,
  currentPassword: z.string().min(1).max(256),
});

export const confirmEmailBodySchema = z.object({
  token: z.string().min(1).max(200).meta({ example: 'mpe_Q2x…', description: 'From the e-mail' }),
});

export const confirmedEmailSchema = z.object({
  purpose: z.enum(['account', 'alert']).meta({
    description: '`account`: it is now the e-mail of the account; `alert`: it may receive alerts',
  }),
  email: z.string(),
});

export const changePasswordBodySchema = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: passwordSchema,
});

const availabilitySchema = z.object({
  available: z.boolean(),
  reason: z.enum(['taken', 'invalid']).optional(),
  message: z.string().optional().meta({ example: 'This username is taken' }),
});

export const availabilityQuerySchema = z.object({
  username: z.string().max(254).optional().meta({ example: 'jdoe' }),
  email: z.string().max(254).optional().meta({ example: 'jdoe@example.com' }),
});

export const availabilityResponseSchema = z.object({
  username: availabilitySchema.optional(),
  email: availabilitySchema.optional(),
});

export const resetRequestBodySchema = z.object({ email: emailSchema });

export const resetConfirmBodySchema = z.object({
  token: z.string().min(1).max(200).meta({ example: 'mpr_G8N…', description: 'From the e-mail' }),
  newPassword: passwordSchema,
});

export const createTokenBodySchema = z.object({
  name: z.string().trim().min(1).max(100).meta({ example: 'nightly import script' }),
  expiresInDays: z.number().int().min(1).max(365).default(90).meta({
    example: 90,
    description: 'The token stops working after this many days (at most 365)',
  }),
});

export const tokenListSchema = z.object({ items: z.array(apiTokenSchema) });

export const sessionListSchema = z.object({ items: z.array(sessionSchema) });

export const sessionParamsSchema = z.object({ id: z.string().regex(/^[0-9a-f]{32}$/) });
