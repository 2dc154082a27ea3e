import { useMutation } from '@tanstack/react-query';
import type { AccountDeletion } from '../../../../../src/contracts/auth.contract';
import { api } from '../../../lib/api-client';

export const deleteAccount = (password: string) =>
  api<AccountDeletion>('/api/auth/user', { method: 'DELETE', body: { password } });

export const useDeleteAccount = () => useMutation({ mutationFn: deleteAccount });

/** The ZIP of everything kept about the signed-in user; `withFootage` adds the video files. */
export const exportUrl = (withFootage: boolean) =>
  `/api/auth/user/export${withFootage ? '?include=files' : ''}`;
