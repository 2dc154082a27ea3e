import {
  Alert,
  Badge,
  Button,
  CloseButton,
  Group,
  List,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { PageHeader } from '../../components/layouts/page-header';
import { paths } from '../../config/paths';
import { errorMessage } from '../../lib/api-client';
import { plural } from '../../lib/format';
import { useCanContribute, useUser } from '../../lib/auth';
import { useNewSearchDraft } from '../../features/searches/lib/new-search-draft';
import { CaseForm } from '../../features/cases/components/case-form';
import { CasePhotoManager } from '../../features/cases/components/case-photo-manager';
import { CasePicker } from '../../features/cases/components/case-picker';
import { useCase } from '../../features/cases/api/get-case';
import { useCreateCase } from '../../features/cases/api/create-case';
import { useSetAlertSettings } from '../../features/searches/api/alert-settings';
import { useCreateSearch } from '../../features/searches/api/create-search';
import {
  AlertFieldsInput,
  alertInputOf,
  emptyAlertFields,
  hasAlertFields,
} from '../../features/searches/components/alert-settings-form';
import { SearchEstimate } from '../../features/searches/components/search-estimate';
import { SearchSettings } from '../../features/searches/components/search-settings';
import { defaultSearchSettings } from '../../features/searches/lib/search-settings-value';
import { LiveFeedForm } from '../../features/videos/components/live-feed-form';
import { useVideos } from '../../features/videos/api/get-videos';
import { VideoPicker } from '../../features/videos/components/video-picker';
import { VideoUploader } from '../../features/videos/components/video-uploader';

function Step({
  number,
  title,
  children,
}: {
  number: number;
  title: string;
  children: React.ReactNode;
}) {
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={`step-${number}`}>
      <Group gap="sm" mb="md">
        <Badge size="lg" circle>
          {number}
        </Badge>
        <Title order={3} id={`step-${number}`}>
          {title}
        </Title>
      </Group>
      {children}
    </Paper>
  );
}

/** Upload & configure: who to look for, in which footage, how; then Search. */
export function NewSearchRoute() {
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const user = useUser();
  const canContribute = useCanContribute();
  const fromAddress = searchParams.get('caseId');
  const { draft, update, clear } = useNewSearchDraft(user.data?.id ?? 'anonymous', {
    caseId: fromAddress,
    mode: fromAddress ? 'existing' : 'new',
    videoIds: [],
    liveFeeds: [],
    settings: defaultSearchSettings,
  });
  const { caseId, mode, liveFeeds, settings } = draft;
  const setCaseId = (id: string | null) => update({ caseId: id });
  // Alerts hold a webhook URL and e-mail: kept in memory only, never in the stored draft.
  const [alerts, setAlerts] = useState(emptyAlertFields);
  const person = useCase(caseId);
  const createCase = useCreateCase();
  const createSearch = useCreateSearch();
  const saveAlerts = useSetAlertSettings();

  const videoIds = [...new Set([...draft.videoIds, ...liveFeeds.map((f) => f.id)])];
  // The picker's own query (same key): what is chosen and how long it is, for the estimate.
  const library = useVideos({ pageSize: 100 }).data?.items ?? [];
  const chosen = library.filter((v) => videoIds.includes(v.id));
  const photoCount = person.data?.photoCount ?? 0;
  const missing = [
    !caseId && 'describe the person or pick a case',
    caseId && photoCount === 0 && 'add at least one photo in which a face is found',
    videoIds.length === 0 && 'add at least one video or live feed',
  ].filter((reason): reason is string => Boolean(reason));

  /** Saves the alerts of the live feeds (a refusal is told, the search runs anyway), then opens it. */
  const openSearch = async (searchId: string) => {
    if (liveFeeds.length > 0 && hasAlertFields(alerts)) {
      await saveAlerts
        .mutateAsync({ searchId, input: alertInputOf(alerts) })
        .catch((error: unknown) =>
          notifications.show({
            color: 'red',
            title: 'The alerts were not saved; set them on the search page',
            message: errorMessage(error),
          }),
        );
    }
    await navigate(paths.search(searchId));
  };

  const start = () =>
    caseId &&
    createSearch.mutate(
      {
        missingPersonId: caseId,
        videoIds,
        preset: settings.preset,
        priority: settings.priority,
        ...(settings.threshold === null ? {} : { threshold: settings.threshold }),
      },
      {
        onSuccess: (search) => {
          clear();
          void openSearch(search.id);
        },
      },
    );

  if (user.data && !canContribute) {
    return (
      <Stack>
        <PageHeader title="New search" />
        <Alert color="blue">
          Your account is a viewer: it reads the cases shared with you but does not open cases, add
          footage or start searches.
        </Alert>
      </Stack>
    );
  }

  return (
    <Stack>
      <PageHeader title="New search" description="Who are you looking for, and where?" />
      <Step number={1} title="The missing person">
        <Stack>
          <SegmentedControl
            aria-label="New or existing case"
            value={mode}
            onChange={(value) => update({ mode: value as 'new' | 'existing' })}
            data={[
              { value: 'new', label: 'New case' },
              { value: 'existing', label: 'Existing case' },
            ]}
            style={{ alignSelf: 'flex-start' }}
          />
          {mode === 'existing' && <CasePicker value={caseId} onChange={setCaseId} />}
          {mode === 'new' && !caseId && (
            <CaseForm
              submitLabel="Save and add photos"
              pending={createCase.isPending}
              error={createCase.error}
              onSubmit={(input) =>
                createCase.mutateAsync(input).then((created) => setCaseId(created.id))
              }
            />
          )}
          {caseId && person.data && (
            <Stack>
              <Group justify="space-between">
                <Text fw={600}>
                  {person.data.firstName} {person.data.lastName} ·{' '}
                  {plural(photoCount, 'usable photo')}
                </Text>
                {mode === 'new' && (
                  <Button variant="subtle" size="compact-sm" onClick={() => setCaseId(null)}>
                    Start another case
                  </Button>
                )}
              </Group>
              <CasePhotoManager key={caseId} caseId={caseId} showEmpty={false} />
            </Stack>
          )}
          {caseId && person.isError && <Alert color="red">{errorMessage(person.error)}</Alert>}
        </Stack>
      </Step>
      <Step number={2} title="Footage">
        <Stack>
          <VideoUploader
            onUploaded={(video) => update((d) => ({ videoIds: [...d.videoIds, video.id] }))}
            onRemoved={(id) => update((d) => ({ videoIds: d.videoIds.filter((i) => i !== id) }))}
          />
          <VideoPicker value={draft.videoIds} onChange={(ids) => update({ videoIds: ids })} />
          <Title order={4}>Live camera feeds</Title>
          {liveFeeds.length > 0 && (
            <Group gap="xs">
              {liveFeeds.map((feed) => (
                <Badge
                  key={feed.id}
                  color="red"
                  variant="light"
                  size="lg"
                  rightSection={
                    <CloseButton
                      size="xs"
                      aria-label={`Remove ${feed.title}`}
                      onClick={() =>
                        update((d) => ({ liveFeeds: d.liveFeeds.filter((f) => f.id !== feed.id) }))
                      }
                    />
                  }
                >
                  {feed.title}
                </Badge>
              ))}
            </Group>
          )}
          <LiveFeedForm
            onAdded={(video) =>
              update((d) => ({ liveFeeds: [...d.liveFeeds, { id: video.id, title: video.title }] }))
            }
          />
        </Stack>
      </Step>
      <Step number={3} title="Settings">
        <SearchSettings value={settings} onChange={(chosen) => update({ settings: chosen })} />
      </Step>
      {liveFeeds.length > 0 && (
        <Step number={4} title="Alerts for the live feeds">
          <AlertFieldsInput value={alerts} onChange={setAlerts} />
        </Step>
      )}
      <Paper withBorder p="md" radius="md">
        <Stack>
          {missing.length > 0 && (
            <div>
              <Text size="sm">Before searching:</Text>
              <List size="sm">
                {missing.map((reason) => (
                  <List.Item key={reason}>{reason}</List.Item>
                ))}
              </List>
            </div>
          )}
          <SearchEstimate
            videos={chosen}
            unlisted={videoIds.length - chosen.length}
            preset={settings.preset}
          />
          {createSearch.error && (
            <Alert color="red" role="alert">
              {errorMessage(createSearch.error)}
            </Alert>
          )}
          <Group justify="space-between">
            <Text size="sm" c="dimmed">
              {plural(videoIds.length, 'video')} selected
            </Text>
            <Button
              size="lg"
              disabled={missing.length > 0}
              loading={createSearch.isPending}
              onClick={start}
            >
              Search
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}
