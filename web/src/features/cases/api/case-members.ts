import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { CaseMember, MemberRole } from './types';

const membersUrl = (caseId: string) => `/api/missing-persons/${caseId}/members`;

export const getMembers = (caseId: string) => api<{ items: CaseMember[] }>(membersUrl(caseId));

export const membersQueryOptions = (caseId: string) =>
  queryOptions({ queryKey: ['cases', 'members', caseId], queryFn: () => getMembers(caseId) });

export const useMembers = (caseId: string, enabled = true) =>
  useQuery({ ...membersQueryOptions(caseId), enabled });

export interface ShareInput {
  caseId: string;
  /** A username, or an e-mail address when it contains "@". */
  who: string;
  role: MemberRole;
}

/** Shares the case with an account, or changes the role of a current member. */
export const shareCase = ({ caseId, who, role }: ShareInput) =>
  api<CaseMember>(membersUrl(caseId), {
    method: 'POST',
    body: who.includes('@') ? { email: who, role } : { username: who, role },
  });

export const revokeMember = ({ caseId, userId }: { caseId: string; userId: string }) =>
  api<void>(`${membersUrl(caseId)}/${userId}`, { method: 'DELETE' });

const useMemberChange = <T extends { caseId: string }>(change: (input: T) => Promise<unknown>) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: (_result, { caseId }) =>
      queryClient.invalidateQueries({ queryKey: ['cases', 'members', caseId] }),
  });
};

export const useShareCase = () => useMemberChange(shareCase);
export const useRevokeMember = () => useMemberChange(revokeMember);
