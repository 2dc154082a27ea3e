import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export interface ConfirmResetInput {
  token: string;
  newPassword: string;
}

export const confirmPasswordReset = (input: ConfirmResetInput) =>
  api<void>('/api/auth/password-reset/confirm', { method: 'POST', body: input });

export const useConfirmPasswordReset = () => useMutation({ mutationFn: confirmPasswordReset });
