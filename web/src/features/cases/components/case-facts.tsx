import { Group, SimpleGrid, Text } from '@mantine/core';
import { formatDateTime } from '../../../lib/format';
import { useCase } from '../api/get-case';
import type { MissingPerson } from '../api/types';

/** What is known of the person, each fact with its label; `null` when it is not known. */
function factsOf(p: MissingPerson): { label: string; value: string | null }[] {
  return [
    { label: 'Age', value: p.age === null ? null : String(p.age) },
    { label: 'Gender', value: p.gender },
    { label: 'Height', value: p.heightCm ? `${p.heightCm} cm` : null },
    { label: 'Weight', value: p.weightKg ? `${p.weightKg} kg` : null },
    { label: 'Last seen at', value: p.lastSeenLocation },
    { label: 'Last seen on', value: p.lastSeenAt && formatDateTime(p.lastSeenAt) },
    { label: 'Notes', value: p.notes },
  ];
}

function Fact({ label, value }: { label: string; value: string | null }) {
  return (
    <div>
      <Text size="xs" c="gray.7">
        {label}
      </Text>
      <Text style={{ overflowWrap: 'anywhere' }}>
        {value === null || value === '' ? '—' : value}
      </Text>
    </div>
  );
}

/** Every field of the case, unknown ones as "—" (the case page). */
export function CaseFacts({ person }: { person: MissingPerson }) {
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} data-testid="case-facts">
      {factsOf(person).map((fact) => (
        <Fact key={fact.label} {...fact} />
      ))}
    </SimpleGrid>
  );
}

/** The known fields of a case in one compact row, loaded by id (a search's header). */
export function CaseFactsLine({ caseId }: { caseId: string }) {
  const person = useCase(caseId);
  if (!person.data) return null;
  const known = factsOf(person.data).filter((fact) => fact.value);
  if (known.length === 0) return null;
  return (
    <Group gap="lg" data-testid="case-facts" align="flex-start">
      {known.map((fact) => (
        <Fact key={fact.label} {...fact} />
      ))}
    </Group>
  );
}
