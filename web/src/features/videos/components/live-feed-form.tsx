import { Alert, Button, Group, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { errorMessage } from '../../../lib/api-client';
import { useCreateLiveFeed } from '../api/create-live-feed';
import { useTestLiveFeed } from '../api/test-live-feed';
import type { Video } from '../api/types';

/** Only the schemes the server accepts (src/media/live.input.ts). */
const URL_PATTERN = /^(rtsp|rtsps|http|https):\/\/\S+$/i;

const REACH_HINT =
  'The server running Missing Person Finder connects to the camera, not this browser: check the ' +
  'address, the port, the path and the user name and password in the URL.';

/** Adds a live camera by URL, after an optional connection test. */
export function LiveFeedForm({ onAdded }: { onAdded: (video: Video) => void }) {
  const test = useTestLiveFeed();
  const create = useCreateLiveFeed();
  const [confirming, setConfirming] = useState(false);
  const testFailed = test.isError || test.data?.ok === false;
  const form = useForm({
    initialValues: { title: '', url: '' },
    validate: {
      title: (v) => (v.trim() ? null : 'Name the camera, e.g. "Station entrance"'),
      url: (v) =>
        URL_PATTERN.test(v.trim()) ? null : 'Enter an rtsp://, rtsps://, http:// or https:// URL',
    },
    onValuesChange: () => {
      test.reset();
      setConfirming(false);
    },
  });

  const runTest = () => {
    if (form.validateField('url').hasError) return;
    test.mutate(form.values.url.trim());
  };

  const submit = form.onSubmit((values) => {
    // A feed that failed its test is added only once the person has seen why and still wants it.
    if (testFailed && !confirming) {
      setConfirming(true);
      return;
    }
    create.mutate(
      { title: values.title.trim(), url: values.url.trim() },
      {
        onSuccess: (video) => {
          onAdded(video);
          form.reset();
          test.reset();
          setConfirming(false);
        },
      },
    );
  });

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
              : `The stream did not answer as expected. ${REACH_HINT}`}
          </Alert>
        )}
        {test.error && (
          <Alert color="red" role="alert" title="Connection test failed">
            <Text size="sm">{errorMessage(test.error)}</Text>
            <Text size="sm" mt={4}>
              {REACH_HINT}
            </Text>
          </Alert>
        )}
        {confirming && (
          <Alert color="yellow" role="alert" title="This camera did not answer the test">
            <Text size="sm">
              A search keeps trying to reach it and shows it offline until it answers.
            </Text>
            <Group gap="xs" mt="xs">
              <Button size="xs" color="yellow" type="submit" loading={create.isPending}>
                Add anyway
              </Button>
              <Button size="xs" variant="default" onClick={() => setConfirming(false)}>
                Keep editing
              </Button>
            </Group>
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
