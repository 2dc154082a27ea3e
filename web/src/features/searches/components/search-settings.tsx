import { Group, Radio, SegmentedControl, Slider, Stack, Text } from '@mantine/core';
import { useUser } from '../../../lib/auth';
import type { Preset, Priority } from '../../../lib/search-events';
import type { SearchSettingsValue } from '../lib/search-settings-value';
import { usePresets } from '../api/get-presets';

const presets: { value: Preset; label: string; description: string }[] = [
  {
    value: 'fast',
    label: 'Fast',
    description: 'Looks at 2 frames a second: quickest, may miss a face seen only briefly.',
  },
  {
    value: 'balanced',
    label: 'Balanced',
    description: 'Looks at 5 frames a second: the usual choice for most footage.',
  },
  {
    value: 'thorough',
    label: 'Thorough',
    description: 'Looks at 10 frames a second and small faces too: slowest, misses the least.',
  },
];

interface SearchSettingsProps {
  value: SearchSettingsValue;
  onChange: (value: SearchSettingsValue) => void;
}

export function SearchSettings({ value, onChange }: SearchSettingsProps) {
  const presetDefaults = usePresets().data?.presets;
  const isAdmin = useUser().data?.role === 'admin';
  const defaultThreshold = presetDefaults?.find((p) => p.preset === value.preset)?.threshold;
  const threshold = value.threshold ?? defaultThreshold;
  return (
    <Stack gap="lg">
      <Radio.Group
        label="Speed"
        value={value.preset}
        onChange={(preset) => onChange({ ...value, preset: preset as Preset })}
      >
        <Stack gap="xs" mt="xs">
          {presets.map((preset) => (
            <Radio
              key={preset.value}
              value={preset.value}
              label={preset.label}
              description={preset.description}
            />
          ))}
        </Stack>
      </Radio.Group>
      <Stack gap={4}>
        <Text size="sm" fw={500} id="threshold-label">
          Match threshold: {threshold === undefined ? '…' : `${Math.round(threshold * 100)}%`}
          {value.threshold === null && threshold !== undefined && ' (recommended)'}
        </Text>
        <Text size="xs" c="dimmed">
          Lower finds more possible matches but more mistakes; higher reports only close likenesses.
        </Text>
        <Slider
          aria-labelledby="threshold-label"
          thumbLabel="Match threshold"
          min={0.3}
          max={0.99}
          step={0.01}
          value={threshold ?? 0.99}
          disabled={threshold === undefined}
          onChange={(chosen) => onChange({ ...value, threshold: chosen })}
          label={(v) => `${Math.round(v * 100)}%`}
        />
        {/* Words at the ends, not as centred marks: "fewer mistakes" would overhang a phone. */}
        <Group justify="space-between" gap="xs" aria-hidden>
          <Text size="xs" c="dimmed">
            ← more matches
          </Text>
          <Text size="xs" c="dimmed">
            fewer mistakes →
          </Text>
        </Group>
      </Stack>
      <Stack gap={4}>
        <Text size="sm" fw={500} id="priority-label">
          Priority
        </Text>
        <SegmentedControl
          aria-labelledby="priority-label"
          value={value.priority}
          onChange={(priority) => onChange({ ...value, priority: priority as Priority })}
          data={[
            { value: 'low', label: 'Low' },
            { value: 'normal', label: 'Normal' },
            { value: 'high', label: 'High', disabled: !isAdmin },
          ]}
        />
        <Text size="xs" c="dimmed">
          When several searches wait, higher priority ones are analysed first.
          {!isAdmin && ' High is reserved to administrators.'}
        </Text>
      </Stack>
    </Stack>
  );
}
