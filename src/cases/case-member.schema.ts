import { z } from 'zod';
import { memberSchema } from '../contracts/case.contract.js';

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

export const memberListSchema = z.object({ items: z.array(memberSchema) });

export type AddMemberInput = z.output<typeof addMemberBodySchema>;
