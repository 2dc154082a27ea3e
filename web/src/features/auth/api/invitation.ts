import { queryOptions, useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { User } from '../../../lib/auth';
import { authKeys } from './auth-keys';

export interface InvitationDetails {
  email: string;
  role: User['role'];
  expiresAt: string;
}

export interface AcceptInvitationInput {
  token: string;
  username: string;
  password: string;
}

export const getInvitation = (token: string) =>
  api<InvitationDetails>(`/api/auth/invitation?token=${encodeURIComponent(token)}`);

export const invitationQueryOptions = (token: string) =>
  queryOptions({
    queryKey: authKeys.invitation(token),
    queryFn: () => getInvitation(token),
    retry: false,
  });

export const useInvitation = (token: string) =>
  useQuery({ ...invitationQueryOptions(token), enabled: token !== '' });

export const acceptInvitation = (input: AcceptInvitationInput) =>
  api<{ user: User }>('/api/auth/invitation/accept', { method: 'POST', body: input });

export const useAcceptInvitation = () => useMutation({ mutationFn: acceptInvitation });
