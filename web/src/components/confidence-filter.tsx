import { Slider, Stack, Text } from '@mantine/core';

interface ConfidenceFilterProps {
  value: number;
  onChange: (value: number) => void;
}

/** Hides matches below a score; 0–100 %, in 5 % steps. */
export function ConfidenceFilter({ value, onChange }: ConfidenceFilterProps) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500} id="confidence-filter-label">
        Show matches scoring at least {Math.round(value * 100)}%
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
