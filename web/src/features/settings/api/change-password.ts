import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export interface ChangePasswordInput {
  currentPassword: string;
  newPassword: string;
}

export const changePassword = (input: ChangePasswordInput) =>
  api<void>('/api/auth/password', { method: 'POST', body: input });

export const useChangePassword = () => useMutation({ mutationFn: changePassword });
