import { z } from 'zod';
import { caseLifecycleSchema, caseRoleSchema } from '../contracts/case.contract.js';
import { paginationQuerySchema } from '../shared/http-schemas.js';

export const caseStatusSchema = z.enum(['missing', 'found', 'closed']).meta({ example: 'missing' });

const text = (max: number) => z.string().trim().min(1).max(max);

const caseFields = {
  firstName: text(100).meta({ example: 'Maria' }),
  lastName: text(100).meta({ example: 'Jensen' }),
  age: z.number().int().min(0).max(130).nullable().optional().meta({ example: 34 }),
  gender: text(50).nullable().optional().meta({ example: 'female' }),
  heightCm: z.number().positive().max(300).nullable().optional().meta({ example: 168 }),
  weightKg: z.number().positive().max(500).nullable().optional().meta({ example: 61 }),
  lastSeenLocation: text(500)
    .nullable()
    .optional()
    .meta({ example: 'Central Station, north entrance' }),
  lastSeenAt: z.iso
    .datetime({ offset: true })
    .nullable()
    .optional()
    .meta({ example: '2026-11-20T17:45:00Z' }),
  notes: z.string().max(5000).nullable().optional().meta({ example: 'Wearing a red raincoat' }),
};

export const createCaseBodySchema = z.object(caseFields);

/** PUT replaces every editable field: optional fields left out become null. */
export const replaceCaseBodySchema = z.object({
  ...caseFields,
  status: caseStatusSchema.optional(),
});

export const patchCaseBodySchema = replaceCaseBodySchema
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'Send at least one field to change');

export const listCasesQuerySchema = paginationQuerySchema.extend({
  status: caseStatusSchema.optional(),
  q: z.string().trim().min(1).max(200).optional().meta({ example: 'jensen' }),
});

export const caseSchema = z
  .object({
    id: z.uuid(),
    firstName: z.string().meta({ example: 'Maria' }),
    lastName: z.string().meta({ example: 'Jensen' }),
    age: z.number().int().nullable(),
    gender: z.string().nullable(),
    heightCm: z.number().nullable(),
    weightKg: z.number().nullable(),
    lastSeenLocation: z.string().nullable(),
    lastSeenAt: z.string().nullable().meta({ example: '2026-11-20T17:45:00.000Z' }),
    notes: z.string().nullable(),
    status: caseStatusSchema,
    role: caseRoleSchema.meta({ description: 'Your role in this case' }),
    photoCount: z.number().int().meta({ example: 3, description: 'Enrolled reference photos' }),
    createdAt: z.string().meta({ example: '2026-11-21T09:00:00.000Z' }),
    updatedAt: z.string().meta({ example: '2026-11-21T09:00:00.000Z' }),
  })
  .extend(caseLifecycleSchema.shape)
  .meta({ id: 'MissingPerson' });

export type CreateCaseInput = z.output<typeof createCaseBodySchema>;
export type ReplaceCaseInput = z.output<typeof replaceCaseBodySchema>;
export type PatchCaseInput = z.output<typeof patchCaseBodySchema>;
export type ListCasesQuery = z.output<typeof listCasesQuerySchema>;
export type CaseView = z.output<typeof caseSchema>;
