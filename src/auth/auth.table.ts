import type { ColumnType, Insertable, Selectable, Updateable } from 'kysely';

export const USER_ROLES = ['admin', 'investigator', 'viewer'] as const;
/** admin: everything; investigator: creates cases and searches; viewer: reads what is shared. */
export type UserRole = (typeof USER_ROLES)[number];

/** Timestamps are ISO-8601 UTC strings on both dialects, so they compare and sort as text. */
export interface UsersTable {
  id: string;
  username: string;
  email: string;
  password_hash: string;
  display_name: string | null;
  /** Defaults to investigator in the database; the first account is made admin on insert. */
  role: ColumnType<UserRole, UserRole | undefined, UserRole>;
  /** Set while the account is disabled: no sign-in, no session, no token works. */
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  /** SHA-256 of the cookie value: a leaked database does not leak live sessions. */
  id: string;
  user_id: string;
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  /** The session created by the same login (null for tokens made on the tokens page). */
  session_id: string | null;
}

export interface PasswordResetsTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface InvitationsTable {
  id: string;
  email: string;
  role: UserRole;
  /** SHA-256 of the link's token, like password resets: the database holds no usable link. */
  token_hash: string;
  invited_by: string | null;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  accepted_user_id: string | null;
  revoked_at: string | null;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type PasswordResetRow = Selectable<PasswordResetsTable>;
export type InvitationRow = Selectable<InvitationsTable>;
