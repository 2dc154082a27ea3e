import { z } from 'zod';
import { searchListItemSchema } from '../contracts/search.contract.js';

export const dashboardStatsSchema = z
  .object({
    cases: z
      .object({
        total: z.number().int(),
        missing: z.number().int(),
        found: z.number().int(),
        closed: z.number().int(),
      })
      .meta({ example: { total: 4, missing: 3, found: 1, closed: 0 } }),
    videos: z
      .object({
        total: z.number().int(),
        uploads: z.number().int(),
        live: z.number().int(),
        footageHours: z.number(),
        footageMs: z.number().int().meta({ description: 'recorded footage, exactly' }),
      })
      .meta({
        example: { total: 12, uploads: 11, live: 1, footageHours: 6.4, footageMs: 23_040_000 },
      }),
    searches: z
      .object({
        total: z.number().int(),
        queued: z.number().int(),
        running: z.number().int(),
        paused: z.number().int(),
        completed: z.number().int(),
        cancelled: z.number().int(),
        failed: z.number().int(),
      })
      .meta({
        example: {
          total: 7,
          queued: 0,
          running: 1,
          paused: 0,
          completed: 5,
          cancelled: 1,
          failed: 0,
        },
      }),
    matches: z
      .number()
      .int()
      .meta({ example: 9, description: 'appearances found by all searches' }),
    system: z
      .object({
        queueWaiting: z.number().int(),
        queueRunning: z.number().int(),
        workersBusy: z.number().int(),
        workers: z.number().int(),
      })
      .optional()
      .meta({
        example: { queueWaiting: 2, queueRunning: 1, workersBusy: 1, workers: 2 },
        description: 'Queue load of the whole server: admins only',
      }),
  })
  .meta({ id: 'DashboardStats' });

export const recentSearchesQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(10).meta({ example: 10 }),
});

export const searchItemsSchema = z.object({ items: z.array(searchListItemSchema) });

export type DashboardStats = z.output<typeof dashboardStatsSchema>;
