import { entityKeys } from '../../../lib/react-query';
import type { CasesQuery } from './get-cases';

/** Every query key of the cases feature, so a change can refresh exactly what it affects. */
export const caseKeys = {
  ...entityKeys<CasesQuery>('cases'),
  photos: (caseId: string) => ['cases', 'photos', caseId] as const,
  members: (caseId: string) => ['cases', 'members', caseId] as const,
};
