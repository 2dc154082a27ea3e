import { Text } from '@mantine/core';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatScore, formatVideoTime } from '../../../lib/format';
import type { Appearance } from '../../../lib/search-events';

interface ResultsTimelineProps {
  appearances: Appearance[];
  durationMs: number | null;
  onSelect: (appearance: Appearance) => void;
}

interface Row {
  label: string;
  range: [number, number];
  appearance: Appearance;
}

const colorOf = (score: number) =>
  score >= 0.8 ? '#2f9e44' : score >= 0.6 ? '#f08c00' : '#e8590c';

/** One bar per appearance along the video's length; clicking a bar opens that appearance. */
export function ResultsTimeline({ appearances, durationMs, onSelect }: ResultsTimelineProps) {
  if (appearances.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No appearance in this video at this confidence.
      </Text>
    );
  }
  const end = Math.max(durationMs ?? 0, ...appearances.map((a) => a.endMs));
  const rows: Row[] = appearances.map((appearance, index) => ({
    label: `#${index + 1}`,
    // A one-frame appearance still needs a visible bar.
    range: [appearance.startMs, Math.max(appearance.endMs, appearance.startMs + end / 200)],
    appearance,
  }));
  return (
    <div style={{ width: '100%', height: 56 + rows.length * 30 }} data-testid="results-timeline">
      <ResponsiveContainer>
        <BarChart data={rows} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 0 }}>
          <CartesianGrid horizontal={false} strokeDasharray="3 3" />
          <XAxis
            type="number"
            domain={[0, end]}
            tickFormatter={(ms: number) => formatVideoTime(ms)}
          />
          <YAxis type="category" dataKey="label" width={36} />
          <Tooltip
            formatter={(_value, _name, item) => {
              const appearance = (item.payload as Row).appearance;
              return [
                `${formatVideoTime(appearance.startMs)}–${formatVideoTime(appearance.endMs)} · ${formatScore(appearance.bestScore)}`,
                'Seen',
              ];
            }}
          />
          <Bar
            dataKey="range"
            barSize={16}
            radius={4}
            cursor="pointer"
            onClick={(data) => onSelect((data.payload as Row).appearance)}
          >
            {rows.map((row) => (
              <Cell key={row.appearance.id} fill={colorOf(row.appearance.bestScore)} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
