import type { CasesQuery } from './get-cases';

/** Every query key of the cases feature, so a change can refresh exactly what it affects. */
export const caseKeys = {
  all: ['cases'] as const,
  lists: () => [...caseKeys.all, 'list'] as const,
  list: (query: CasesQuery) => [...caseKeys.lists(), query] as const,
  detail: (id: string) => [...caseKeys.all, 'detail', id] as const,
  photos: (caseId: string) => [...caseKeys.all, 'photos', caseId] as const,
  members: (caseId: string) => [...caseKeys.all, 'members', caseId] as const,
};
