import type { Insertable, Selectable } from 'kysely';

/** What a member may do with a case: the owner everything, an editor change it, a viewer read. */
export type CaseRole = 'owner' | 'editor' | 'viewer';

export interface CaseMembersTable {
  missing_person_id: string;
  user_id: string;
  role: CaseRole;
  added_by: string | null;
  created_at: string;
  updated_at: string;
}

export type CaseMemberRow = Selectable<CaseMembersTable>;
export type NewCaseMember = Insertable<CaseMembersTable>;
