import { z } from 'zod';

/** The case-sharing shapes the web app reads: the API's Zod schemas and their types, defined once. */

export const caseRoleSchema = z.enum(['owner', 'editor', 'viewer']).meta({
  example: 'editor',
  description: '`owner` manages members and deletes; `editor` changes the case; `viewer` reads',
});

export const memberSchema = z
  .object({
    userId: z.uuid(),
    username: z.string().meta({ example: 'jdoe' }),
    displayName: z.string().nullable(),
    email: z
      .string()
      .nullable()
      .meta({ description: "Shown to the case's owner only", example: 'jdoe@example.org' }),
    role: caseRoleSchema,
    addedBy: z.uuid().nullable(),
    createdAt: z.string().meta({ example: '2026-11-21T09:00:00.000Z' }),
  })
  .meta({ id: 'CaseMember' });

/** The share of an e-mail address with no account: an invitation was mailed to it. */
export const invitedSchema = z
  .object({ invited: z.string().meta({ example: 'volunteer@example.org' }) })
  .meta({ id: 'CaseInvitationSent' });

export type MemberView = z.output<typeof memberSchema>;
export type InvitedView = z.output<typeof invitedSchema>;

/** A legal hold keeps a case (and everything of it) from the retention purge, whatever its age. */
export const legalHoldSchema = z
  .object({
    reason: z.string().meta({ example: 'Court order 2026/118' }),
    placedAt: z.string().meta({ example: '2026-11-30T10:00:00.000Z' }),
    placedBy: z
      .uuid()
      .nullable()
      .meta({ description: 'Who placed it; null once that account is deleted' }),
  })
  .meta({ id: 'LegalHold' });

/** How long a case is kept: what the case page shows next to its status. */
export const caseLifecycleSchema = z.object({
  closedAt: z.string().nullable().meta({
    description: 'When the case became found or closed; null while it is open (missing)',
    example: '2026-12-01T08:00:00.000Z',
  }),
  retentionDays: z.number().int().nullable().meta({
    description: 'Days kept after closing set on this case; null uses RETENTION_DAYS',
    example: 30,
  }),
  effectiveRetentionDays: z
    .number()
    .int()
    .meta({ description: 'Days kept after closing: retentionDays or RETENTION_DAYS', example: 90 }),
  deleteAfter: z.string().nullable().meta({
    description:
      'When the daily purge deletes the case; null while it is open or under a legal hold',
    example: '2027-03-01T08:00:00.000Z',
  }),
  legalHold: legalHoldSchema.nullable(),
});

export const caseStatusBodySchema = z.object({
  status: z
    .enum(['missing', 'found', 'closed'])
    .meta({ description: '`missing` is an open case; `found` and `closed` start its retention' }),
});

export const caseRetentionBodySchema = z.object({
  retentionDays: z
    .number()
    .int()
    .min(1)
    .max(36500)
    .nullable()
    .meta({ description: 'Days kept after closing; null returns to RETENTION_DAYS', example: 30 }),
});

export const legalHoldBodySchema = z.object({
  reason: z.string().trim().min(3).max(500).meta({ example: 'Court order 2026/118' }),
});

export type LegalHoldView = z.output<typeof legalHoldSchema>;
export type CaseLifecycleView = z.output<typeof caseLifecycleSchema>;
export type CaseStatusInput = z.output<typeof caseStatusBodySchema>;
export type CaseRetentionInput = z.output<typeof caseRetentionBodySchema>;
export type LegalHoldInput = z.output<typeof legalHoldBodySchema>;
