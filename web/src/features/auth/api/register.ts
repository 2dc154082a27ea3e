import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { User } from '../../../lib/auth';

export interface RegisterInput {
  username: string;
  email: string;
  password: string;
}

export const register = (input: RegisterInput) =>
  api<{ user: User }>('/api/auth/register', { method: 'POST', body: input });

export const useRegister = () => useMutation({ mutationFn: register });
