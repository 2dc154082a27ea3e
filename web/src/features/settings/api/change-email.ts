import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export interface ChangeEmailInput {
  email: string;
  currentPassword: string;
}

export const changeEmail = (input: ChangeEmailInput) =>
  api<{ accepted: true }>('/api/auth/email', { method: 'POST', body: input });
export const requestEmailVerification = () =>
  api<{ accepted: true }>('/api/auth/email/verification', { method: 'POST' });
export const confirmEmail = (token: string) =>
  api<{ purpose: 'account' | 'alert'; email: string }>('/api/auth/email/confirm', {
    method: 'POST',
    body: { token },
  });

export const useChangeEmail = () => useMutation({ mutationFn: changeEmail });
export const useRequestEmailVerification = () =>
  useMutation({ mutationFn: requestEmailVerification });
export const useConfirmEmail = () => useMutation({ mutationFn: confirmEmail });
