import { Badge, Button, Group, Paper, Stack, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { ConfirmDelete } from '../../../components/feedback/confirm-delete';
import { ErrorState } from '../../../components/feedback/error-state';
import { PageLoader } from '../../../components/feedback/page-loader';
import { PageHeader } from '../../../components/layouts/page-header';
import { paths } from '../../../config/paths';
import { formatDateTime } from '../../../lib/format';
import { useDeleteCase } from '../api/delete-case';
import { useCase } from '../api/get-case';
import { canEdit } from '../api/types';
import { useUpdateCase } from '../api/update-case';
import { CaseForm } from './case-form';
import { CaseLifecyclePanel } from './case-lifecycle-panel';
import { CasePhotoManager } from './case-photo-manager';
import { caseStatusColor, SharedBadge } from './cases-list';
import { ShareCaseDialog } from './share-case-dialog';
import { useCanContribute } from '../../../lib/auth';

import { CaseFacts } from './case-facts';

/**
 * A case: what is known of the person, then `children` (the route puts the case's searches and
 * sightings there), then its reference photos.
 */
export function CaseDetail({ caseId, children }: { caseId: string; children?: ReactNode }) {
  const person = useCase(caseId);
  const update = useUpdateCase();
  const remove = useDeleteCase();
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const canContribute = useCanContribute();

  if (person.isPending) return <PageLoader />;
  if (person.isError)
    return <ErrorState error={person.error} onRetry={() => void person.refetch()} />;
  const p = person.data;
  const name = `${p.firstName} ${p.lastName}`;
  const editable = canEdit(p.role);

  return (
    <Stack>
      <PageHeader
        documentTitle={name}
        title={
          <Group gap="sm">
            {name}
            <Badge color={caseStatusColor[p.status]}>{p.status}</Badge>
            <SharedBadge role={p.role} />
          </Group>
        }
        description={`Opened ${formatDateTime(p.createdAt)}`}
        actions={
          <>
            {editable && canContribute && (
              <Button onClick={() => void navigate(`${paths.newSearch}?caseId=${p.id}`)}>
                Search for {p.firstName}
              </Button>
            )}
            {editable && !editing && (
              <Button variant="default" onClick={() => setEditing(true)}>
                Edit
              </Button>
            )}
            {p.role === 'owner' && <ShareCaseDialog caseId={p.id} name={name} />}
            {p.role === 'owner' && (
              <ConfirmDelete
                what={`the case of ${name}`}
                consequence="Its photos, face data and searches are deleted with it, and its encryption key destroyed."
                pending={remove.isPending}
                error={remove.error}
                onConfirm={() => remove.mutateAsync(p.id).then(() => navigate(paths.cases))}
              />
            )}
          </>
        }
      />
      <Paper withBorder p="md" radius="md">
        {editing ? (
          <CaseForm
            initial={p}
            submitLabel="Save changes"
            pending={update.isPending}
            error={update.error}
            onCancel={() => setEditing(false)}
            onSubmit={(input) =>
              update.mutateAsync({ id: p.id, input }).then(() => setEditing(false))
            }
          />
        ) : (
          <CaseFacts person={p} />
        )}
      </Paper>
      {children}
      <CaseLifecyclePanel person={p} editable={editable} />
      <Title order={3}>Reference photos ({p.photoCount})</Title>
      <CasePhotoManager caseId={p.id} showEmpty editable={editable} />
    </Stack>
  );
}
