import { Slider, Stack, Text } from '@mantine/core';
import { formatScore } from '../lib/format';

interface ConfidenceFilterProps {
  value: number;
  onChange: (value: number) => void;
  /** The search's threshold: nothing below it was reported. */
  threshold: number;
}

/** Hides matches below a score; 0–100 %, in 5 % steps. */
export function ConfidenceFilter({ value, onChange, threshold }: ConfidenceFilterProps) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id="confidence-filter-label">
        Show matches scoring at least {Math.round(value * 100)}%
      </Text>
      <Text size="xs" c="dimmed" data-testid="score-help">
        A match's score says how sure the search is that the face is this person (100% = certain).
        This search reports faces scoring at least {formatScore(threshold)}, its threshold.
      </Text>
      <Slider
        aria-labelledby="confidence-filter-label"
        thumbLabel="Lowest score shown"
        min={0}
        max={1}
        step={0.05}
        value={value}
        onChange={onChange}
        label={(v) => `${Math.round(v * 100)}%`}
        marks={[{ value: 0.25 }, { value: 0.5 }, { value: 0.75 }]}
        mb="sm"
      />
    </Stack>
  );
}
