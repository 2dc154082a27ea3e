import type { Executor } from '../db/database.js';
import type { CaseRole, NewCaseMember } from '../db/tables/case-member.table.js';

export interface MemberWithUser {
  user_id: string;
  role: CaseRole;
  added_by: string | null;
  created_at: string;
  username: string;
  display_name: string | null;
  email: string;
}

export async function insertMember(db: Executor, row: NewCaseMember): Promise<void> {
  await db.insertInto('case_members').values(row).execute();
}

/** The case's members with their accounts: the owner first, then by when they were added. */
export async function listMembers(
  db: Executor,
  missingPersonId: string,
): Promise<MemberWithUser[]> {
  const rows = await db
    .selectFrom('case_members')
    .innerJoin('users', 'users.id', 'case_members.user_id')
    .select([
      'case_members.user_id',
      'case_members.role',
      'case_members.added_by',
      'case_members.created_at',
      'users.username',
      'users.display_name',
      'users.email',
    ])
    .where('case_members.missing_person_id', '=', missingPersonId)
    .orderBy('case_members.created_at')
    .orderBy('users.username')
    .execute();
  return [
    ...rows.filter((row) => row.role === 'owner'),
    ...rows.filter((row) => row.role !== 'owner'),
  ];
}

export async function updateMemberRole(
  db: Executor,
  missingPersonId: string,
  userId: string,
  role: CaseRole,
  now: string,
): Promise<void> {
  await db
    .updateTable('case_members')
    .set({ role, updated_at: now })
    .where('missing_person_id', '=', missingPersonId)
    .where('user_id', '=', userId)
    .execute();
}

export async function deleteMember(
  db: Executor,
  missingPersonId: string,
  userId: string,
): Promise<void> {
  await db
    .deleteFrom('case_members')
    .where('missing_person_id', '=', missingPersonId)
    .where('user_id', '=', userId)
    .execute();
}
