import { Alert, Button, Group, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { errorMessage } from '../../../lib/api-client';
import { useCreateLiveFeed } from '../api/create-live-feed';
import { useTestLiveFeed } from '../api/test-live-feed';
import type { Video } from '../api/types';

const URL_PATTERN = /^(rtsp|rtsps|rtmp|rtmps|http|https|srt|udp):\/\/\S+$/i;

/** Adds a live camera by URL, after an optional connection test. */
export function LiveFeedForm({ onAdded }: { onAdded: (video: Video) => void }) {
  const test = useTestLiveFeed();
  const create = useCreateLiveFeed();
  const form = useForm({
    initialValues: { title: '', url: '' },
    validate: {
      title: (v) => (v.trim() ? null : 'Name the camera, e.g. "Station entrance"'),
      url: (v) =>
        URL_PATTERN.test(v.trim()) ? null : 'Enter an rtsp://, rtmp://, http(s):// or srt:// URL',
    },
    onValuesChange: () => test.reset(),
  });

  const runTest = () => {
    if (form.validateField('url').hasError) return;
    test.mutate(form.values.url.trim());
  };

  const submit = form.onSubmit((values) =>
    create.mutate(
      { title: values.title.trim(), url: values.url.trim() },
      {
        onSuccess: (video) => {
          onAdded(video);
          form.reset();
          test.reset();
        },
      },
    ),
  );

  return (
    <form onSubmit={submit} noValidate aria-label="Live feed">
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Camera name" {...form.getInputProps('title')} />
          <TextInput
            label="Stream URL"
            placeholder="rtsp://user:password@10.0.0.7:554/stream1"
            {...form.getInputProps('url')}
          />
        </SimpleGrid>
        {test.data && (
          <Alert color={test.data.ok ? 'green' : 'red'} role="status">
            {test.data.ok
              ? `Connected: ${[test.data.codec, test.data.width && `${test.data.width}×${test.data.height}`, test.data.fps && `${test.data.fps} fps`].filter(Boolean).join(', ') || 'the stream answers'}`
              : 'The stream did not answer as expected.'}
          </Alert>
        )}
        {test.error && (
          <Alert color="red" role="alert" title="Connection test failed">
            {errorMessage(test.error)}
          </Alert>
        )}
        {create.error && (
          <Alert color="red" role="alert">
            {errorMessage(create.error)}
          </Alert>
        )}
        <Group gap="sm">
          <Button variant="default" onClick={runTest} loading={test.isPending}>
            Test connection
          </Button>
          <Button type="submit" loading={create.isPending}>
            Add live feed
          </Button>
          <Text size="xs" c="dimmed">
            The password in the URL is stored and never shown again.
          </Text>
        </Group>
      </Stack>
    </form>
  );
}
