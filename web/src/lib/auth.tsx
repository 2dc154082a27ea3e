import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useEffect } from 'react';
import { ApiError, api, onSessionLost, setCsrfToken } from './api-client';
import { paths } from '../config/paths';

export interface User {
  id: string;
  username: string;
  email: string;
  displayName: string | null;
  /** Whether a link mailed to the e-mail was opened. */
  emailVerified: boolean;
  /** admin: everything; investigator: cases, footage, searches; viewer: reads what is shared. */
  role: 'admin' | 'investigator' | 'viewer';
  createdAt: string;
}

interface CurrentUserResponse {
  user: User;
  csrfToken?: string;
}

export interface LoginInput {
  /** A username or an e-mail address; both are accepted. */
  identifier: string;
  password: string;
}

const userQueryKey = ['auth', 'user'] as const;

/** Who is signed in, or null; 401 here is an answer, not an error. */
export async function getUser(): Promise<User | null> {
  try {
    const response = await api<CurrentUserResponse>('/api/auth/user', { quietOn401: true });
    setCsrfToken(response.csrfToken ?? null);
    return response.user;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export const getUserQueryOptions = () =>
  queryOptions({ queryKey: userQueryKey, queryFn: getUser, staleTime: Infinity });

export const useUser = () => useQuery(getUserQueryOptions());

/**
 * Whether the signed-in user opens cases, adds footage and starts searches: everyone but a
 * viewer (the server refuses a viewer with 403; the app does not offer what would be refused).
 */
export const useCanContribute = () => {
  const role = useUser().data?.role;
  return role !== undefined && role !== 'viewer';
};

export async function login(input: LoginInput): Promise<User> {
  const identifier = input.identifier.trim();
  const response = await api<CurrentUserResponse>('/api/auth/login', {
    method: 'POST',
    quietOn401: true,
    body: identifier.includes('@')
      ? { email: identifier, password: input.password }
      : { username: identifier, password: input.password },
  });
  setCsrfToken(response.csrfToken ?? null);
  return response.user;
}

export const useLogin = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (user) => {
      queryClient.clear();
      queryClient.setQueryData(userQueryKey, user);
    },
  });
};

export const useLogout = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('/api/auth/logout', { method: 'POST', quietOn401: true }),
    onSettled: () => {
      setCsrfToken(null);
      queryClient.clear();
      queryClient.setQueryData(userQueryKey, null);
    },
  });
};

/** Forgets the signed-in user at once (after the account was deleted). */
export const useForgetUser = () => {
  const queryClient = useQueryClient();
  return () => {
    setCsrfToken(null);
    queryClient.clear();
    queryClient.setQueryData(userQueryKey, null);
  };
};

/** Replaces the cached user after a profile change. */
export const useSetUser = () => {
  const queryClient = useQueryClient();
  return (user: User) => queryClient.setQueryData(userQueryKey, user);
};

/** Where login should send the user back to: `/login?redirectTo=/searches/…`. */
export function loginPathFor(location: { pathname: string; search: string }): string {
  const back = location.pathname + location.search;
  return back === paths.home
    ? paths.login
    : `${paths.login}?redirectTo=${encodeURIComponent(back)}`;
}

/** Sends the user to login whenever any request finds the session gone. */
export function SessionWatcher() {
  const queryClient = useQueryClient();
  useEffect(
    () =>
      onSessionLost(() => {
        if (queryClient.getQueryData(userQueryKey) === null) return;
        setCsrfToken(null);
        queryClient.setQueryData(userQueryKey, null);
        notifications.show({
          id: 'session-lost',
          color: 'yellow',
          title: 'Your session has ended',
          message: 'Please sign in again to continue.',
        });
      }),
    [queryClient],
  );
  return null;
}
