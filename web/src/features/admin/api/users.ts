import {
  keepPreviousData,
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { User } from '../../../lib/auth';
import { adminKeys } from './admin-keys';

export type Role = User['role'];

export interface AdminUser {
  id: string;
  username: string;
  email: string;
  displayName: string | null;
  role: Role;
  disabledAt: string | null;
  lastSeenAt: string | null;
  createdAt: string;
}

export interface UsersQuery {
  q: string;
  page: number;
}

interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export const USERS_PAGE_SIZE = 25;

export const getUsers = ({ q, page }: UsersQuery) => {
  const params = new URLSearchParams({ page: String(page), pageSize: String(USERS_PAGE_SIZE) });
  if (q.trim()) params.set('q', q.trim());
  return api<Page<AdminUser>>(`/api/admin/users?${params}`);
};

export const usersQueryOptions = (query: UsersQuery) =>
  queryOptions({
    queryKey: adminKeys.userList(query),
    queryFn: () => getUsers(query),
    placeholderData: keepPreviousData,
  });

export const useUsers = (query: UsersQuery) => useQuery(usersQueryOptions(query));

export const updateUser = ({ id, ...changes }: { id: string; role?: Role; disabled?: boolean }) =>
  api<AdminUser>(`/api/admin/users/${id}`, { method: 'PATCH', body: changes });

export const signOutUser = (id: string) =>
  api<void>(`/api/admin/users/${id}/sessions`, { method: 'DELETE' });

export const useUpdateUser = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateUser,
    onSettled: () => void queryClient.invalidateQueries({ queryKey: adminKeys.users() }),
  });
};

export const useSignOutUser = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signOutUser,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: adminKeys.users() }),
  });
};
