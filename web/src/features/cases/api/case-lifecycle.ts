import { api } from '../../../lib/api-client';
import { useSaveEntity } from '../../../lib/react-query';
import { caseKeys } from './case-keys';
import type { CaseStatus, MissingPerson } from './types';

/** Status, retention and legal hold: each answers the whole case, which replaces the cached one. */
const lifecycle = (id: string, path: string, method: 'PUT' | 'DELETE', body?: unknown) =>
  api<MissingPerson>(`/api/missing-persons/${id}/${path}`, { method, body });

export const useSetCaseStatus = () =>
  useSaveEntity(caseKeys, ({ id, status }: { id: string; status: CaseStatus }) =>
    lifecycle(id, 'status', 'PUT', { status }),
  );

export const useSetCaseRetention = () =>
  useSaveEntity(caseKeys, ({ id, retentionDays }: { id: string; retentionDays: number | null }) =>
    lifecycle(id, 'retention', 'PUT', { retentionDays }),
  );

export const useLegalHold = () =>
  useSaveEntity(caseKeys, ({ id, reason }: { id: string; reason: string | null }) =>
    reason === null
      ? lifecycle(id, 'legal-hold', 'DELETE')
      : lifecycle(id, 'legal-hold', 'PUT', { reason }),
  );
