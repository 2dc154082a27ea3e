import { useParams } from 'react-router';
import { CaseDetail } from '../../features/cases/components/case-detail';

export function CaseRoute() {
  const { caseId = '' } = useParams();
  return <CaseDetail key={caseId} caseId={caseId} />;
}
