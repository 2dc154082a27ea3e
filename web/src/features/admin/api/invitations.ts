import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { useRefreshingMutation } from '../../../lib/react-query';
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

export const useCreateInvitation = () =>
  useRefreshingMutation(createInvitation, () => [adminKeys.invitations()]);

export const useRevokeInvitation = () =>
  useRefreshingMutation(revokeInvitation, () => [adminKeys.invitations()], 'settled');
