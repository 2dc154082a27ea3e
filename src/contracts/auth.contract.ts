import { z } from 'zod';

/** The account shapes the web app reads (API tokens, signed-in sessions): Zod schemas and types. */

export const apiTokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string().meta({ example: 'nightly import script' }),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable().meta({ description: 'Within a minute' }),
    expiresAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiToken' });

export const createdTokenSchema = apiTokenSchema.extend({
  token: z.string().meta({ example: 'mpf_3q2x7wZk…', description: 'Shown once; store it now' }),
});

export const sessionSchema = z
  .object({
    id: z.string().meta({ example: '4f1c2b9e0a7d4c3b8e6f5a4d3c2b1a09' }),
    device: z.string().meta({ example: 'Firefox on Linux' }),
    ip: z.string().nullable().meta({ example: '203.0.113.7' }),
    createdAt: z.iso.datetime(),
    lastSeenAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().meta({ description: 'The absolute end; idle sessions end sooner' }),
    current: z.boolean().meta({ description: 'The session of this request' }),
  })
  .meta({ id: 'Session' });

export type ApiToken = z.infer<typeof apiTokenSchema>;
export type CreatedApiToken = z.infer<typeof createdTokenSchema>;
export type ActiveSession = z.infer<typeof sessionSchema>;

/** What deleting one's account did with the cases one owned. */
export const accountDeletionSchema = z
  .object({
    deletedCases: z.number().int().meta({ description: 'Cases no one else was a member of' }),
    transferredCases: z
      .number()
      .int()
      .meta({ description: 'Shared cases passed to another member, who became their owner' }),
  })
  .meta({ id: 'AccountDeletion' });

export type AccountDeletion = z.infer<typeof accountDeletionSchema>;
