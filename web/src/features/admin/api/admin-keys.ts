import type { UsersQuery } from './users';

/** Every query key of the administration feature. */
export const adminKeys = {
  all: ['admin'] as const,
  users: () => [...adminKeys.all, 'users'] as const,
  userList: (query: UsersQuery) => [...adminKeys.users(), query] as const,
  invitations: () => [...adminKeys.all, 'invitations'] as const,
  status: () => [...adminKeys.all, 'status'] as const,
};
