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
