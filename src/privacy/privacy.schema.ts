import { z } from 'zod';

export const exportQuerySchema = z.object({
  include: z
    .enum(['files'])
    .optional()
    .meta({
      description:
        'files: add the footage files themselves (they can weigh gigabytes); without it the ' +
        'footage is described (metadata) but its videos are left out',
    }),
});

export const deleteAccountBodySchema = z.object({
  password: z.string().min(1).max(256).meta({ description: "The account's current password" }),
});
