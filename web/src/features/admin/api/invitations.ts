import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { Role } from './users';
import { adminKeys } from './admin-keys';

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
  invitedBy: string | null;
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
}

export const getInvitations = () =>
  api<{ items: Invitation[]; total: number }>('/api/invitations?pageSize=100');

export const invitationsQueryOptions = () =>
  queryOptions({ queryKey: adminKeys.invitations(), queryFn: getInvitations });

export const useInvitations = () => useQuery(invitationsQueryOptions());

export const createInvitation = (input: { email: string; role: Role }) =>
  api<Invitation>('/api/invitations', { method: 'POST', body: input });

export const revokeInvitation = (id: string) =>
  api<void>(`/api/invitations/${id}`, { method: 'DELETE' });

export const useCreateInvitation = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createInvitation,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: adminKeys.invitations() }),
  });
};

export const useRevokeInvitation = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: revokeInvitation,
    onSettled: () => void queryClient.invalidateQueries({ queryKey: adminKeys.invitations() }),
  });
};
