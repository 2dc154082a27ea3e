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
  /** When the current e-mail was confirmed by a link sent to it; null until then. */
  email_verified_at: string | null;
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
  /** Personal tokens end here; a login token (session_id set) lives as long as its session. */
  expires_at: string | null;
}

export interface PasswordResetsTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export type EmailPurpose = 'account' | 'alert';

/** A link mailed to an address: clicking it proves the address reads its mail. */
export interface EmailConfirmationsTable {
  id: string;
  user_id: string;
  email: string;
  /** `account`: becomes the user's e-mail; `alert`: may receive the user's alert e-mails. */
  purpose: EmailPurpose;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** Addresses other than their own that a user confirmed for alert e-mails. */
export interface AlertRecipientsTable {
  user_id: string;
  email: string;
  confirmed_at: string;
}

/** One failed login, by the account name typed (lower-cased), whether or not it exists. */
export interface LoginFailuresTable {
  id: string;
  account: string;
  ip: string | null;
  created_at: string;
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
  /** Sent from a case's share dialog: accepting makes the account a member of this case. */
  case_id: string | null;
  case_role: 'editor' | 'viewer' | null;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type PasswordResetRow = Selectable<PasswordResetsTable>;
export type EmailConfirmationRow = Selectable<EmailConfirmationsTable>;
export type InvitationRow = Selectable<InvitationsTable>;
