import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { useSetUser, type User } from '../../../lib/auth';

export interface ProfileInput {
  displayName: string | null;
}

export const updateProfile = (input: ProfileInput) =>
  api<{ user: User }>('/api/auth/user', { method: 'PUT', body: input });

export const useUpdateProfile = () => {
  const setUser = useSetUser();
  return useMutation({ mutationFn: updateProfile, onSuccess: ({ user }) => setUser(user) });
};
