import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { pageQueryOptions, useRefreshingMutation } from '../../../lib/react-query';
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

export const USERS_PAGE_SIZE = 25;

export const usersQueryOptions = (query: UsersQuery) =>
  pageQueryOptions<AdminUser>(adminKeys.userList(query), '/api/admin/users', {
    page: query.page,
    pageSize: USERS_PAGE_SIZE,
    q: query.q.trim(),
  });

export const useUsers = (query: UsersQuery) => useQuery(usersQueryOptions(query));

export const updateUser = ({ id, ...changes }: { id: string; role?: Role; disabled?: boolean }) =>
  api<AdminUser>(`/api/admin/users/${id}`, { method: 'PATCH', body: changes });

export const signOutUser = (id: string) =>
  api<void>(`/api/admin/users/${id}/sessions`, { method: 'DELETE' });

export const useUpdateUser = () =>
  useRefreshingMutation(updateUser, () => [adminKeys.users()], 'settled');

export const useSignOutUser = () => useRefreshingMutation(signOutUser, () => [adminKeys.users()]);
