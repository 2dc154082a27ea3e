import { queryOptions, useQuery } from '@tanstack/react-query';
import type { SightingDto } from '../../../../../src/contracts/search.contract';
import { api } from '../../../lib/api-client';
import { searchKeys } from './search-keys';

export type Sighting = SightingDto;

export const getCaseSightings = (caseId: string, limit: number) =>
  api<{ items: Sighting[] }>(`/api/missing-persons/${caseId}/sightings?limit=${limit}`);

/** A case's best matches over all its searches, best first. */
export const caseSightingsQueryOptions = (caseId: string, limit = 8) =>
  queryOptions({
    queryKey: [...searchKeys.sightings(caseId), limit],
    queryFn: () => getCaseSightings(caseId, limit),
  });

export const useCaseSightings = (caseId: string) => useQuery(caseSightingsQueryOptions(caseId));
