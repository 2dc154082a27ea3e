import { z } from 'zod';
import { caseRoleSchema } from './case.schema.js';

export const memberRoleSchema = z.enum(['editor', 'viewer']).meta({
  example: 'viewer',
  description: '`editor` may change the case, its photos and searches; `viewer` only reads',
});

export const addMemberBodySchema = z
  .object({
    username: z.string().trim().toLowerCase().min(1).max(254).optional(),
    email: z.string().trim().toLowerCase().min(1).max(254).optional(),
    role: memberRoleSchema,
  })
  .refine((body) => (body.username === undefined) !== (body.email === undefined), {
    message: 'Give either username or email',
  })
  .meta({ example: { email: 'volunteer@example.org', role: 'viewer' } });

export const memberParamsSchema = z.object({ id: z.uuid(), userId: z.uuid() });

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

export const memberListSchema = z.object({ items: z.array(memberSchema) });

export type AddMemberInput = z.output<typeof addMemberBodySchema>;
export type MemberView = z.output<typeof memberSchema>;
export type InvitedView = z.output<typeof invitedSchema>;
