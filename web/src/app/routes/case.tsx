import { useParams } from 'react-router';
import { CaseDetail } from '../../features/cases/components/case-detail';
import { useCase } from '../../features/cases/api/get-case';
import { canEdit } from '../../features/cases/api/types';
import { CaseSearches } from '../../features/searches/components/case-searches';
import { useCanContribute } from '../../lib/auth';

/** The case page: the case, with its searches and sightings (from the searches feature). */
export function CaseRoute() {
  const { caseId = '' } = useParams();
  const person = useCase(caseId);
  const canContribute = useCanContribute();
  return (
    <CaseDetail key={caseId} caseId={caseId}>
      {person.data && (
        <CaseSearches
          caseId={caseId}
          firstName={person.data.firstName}
          canSearch={canContribute && canEdit(person.data.role)}
        />
      )}
    </CaseDetail>
  );
}
