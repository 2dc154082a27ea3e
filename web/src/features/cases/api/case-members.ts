import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { CaseInvitationSent, CaseMember, MemberRole } from './types';
import { caseKeys } from './case-keys';

const membersUrl = (caseId: string) => `/api/missing-persons/${caseId}/members`;

export const getMembers = (caseId: string) => api<{ items: CaseMember[] }>(membersUrl(caseId));

export const membersQueryOptions = (caseId: string) =>
  queryOptions({ queryKey: caseKeys.members(caseId), queryFn: () => getMembers(caseId) });

export const useMembers = (caseId: string, enabled = true) =>
  useQuery({ ...membersQueryOptions(caseId), enabled });

export interface ShareInput {
  caseId: string;
  /** A username, or an e-mail address when it contains "@". */
  who: string;
  role: MemberRole;
}

/**
 * Shares the case with an account, or changes the role of a current member; an e-mail address
 * with no account is invited instead (`{ invited }`) and joins the case when it accepts.
 */
export const shareCase = ({ caseId, who, role }: ShareInput) =>
  api<CaseMember | CaseInvitationSent>(membersUrl(caseId), {
    method: 'POST',
    body: who.includes('@') ? { email: who, role } : { username: who, role },
  });

export const revokeMember = ({ caseId, userId }: { caseId: string; userId: string }) =>
  api<void>(`${membersUrl(caseId)}/${userId}`, { method: 'DELETE' });

const useMemberChange = <T extends { caseId: string }, R>(change: (input: T) => Promise<R>) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: (_result, { caseId }) =>
      queryClient.invalidateQueries({ queryKey: caseKeys.members(caseId) }),
  });
};

export const useShareCase = () => useMemberChange(shareCase);
export const useRevokeMember = () => useMemberChange(revokeMember);
