import type { Box } from '../../../lib/search-events';

export type CaseStatus = 'missing' | 'found' | 'closed';

// The server's own types of case sharing, from the shared contracts module: one source for both.
export type {
  MemberView as CaseMember,
  InvitedView as CaseInvitationSent,
} from '../../../../../src/contracts/case.contract';
import type { CaseLifecycleView } from '../../../../../src/contracts/case.contract';
export type CaseRole = 'owner' | 'editor' | 'viewer';
/** What the owner may give: the owner role itself is never handed out. */
export type MemberRole = Exclude<CaseRole, 'owner'>;

/** Owners and editors change a case, its photos and its searches; only owners share or delete. */
export const canEdit = (role: CaseRole) => role !== 'viewer';

/** What is known of the person; empty optional fields are null. */
interface CaseFields {
  firstName: string;
  lastName: string;
  age: number | null;
  gender: string | null;
  heightCm: number | null;
  weightKg: number | null;
  lastSeenLocation: string | null;
  lastSeenAt: string | null;
  notes: string | null;
}

/** With its lifecycle: when it was closed, how long it is kept, a legal hold. */
export interface MissingPerson extends CaseFields, CaseLifecycleView {
  id: string;
  status: CaseStatus;
  /** Your role in this case. */
  role: CaseRole;
  photoCount: number;
  createdAt: string;
  updatedAt: string;
}

/** The editable fields; empty optional fields are sent as null. */
export interface CaseInput extends CaseFields {
  status?: CaseStatus;
}

export interface PersonPhoto {
  id: string;
  missingPersonId: string;
  face: { box: Box };
  quality: number | null;
  width: number;
  height: number;
  originalName: string | null;
  imageUrl: string;
  createdAt: string;
}

export interface PhotoUploadResult {
  id: string | null;
  fileName?: string | null;
  enrolled: boolean;
  face?: { box: Box };
  faces?: { box: Box }[];
  error?: { code: string; message: string };
}
