import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { plural } from '../../../lib/format';
import { useCases } from '../api/get-cases';
import { canEdit } from '../api/types';

interface CasePickerProps {
  value: string | null;
  onChange: (caseId: string | null) => void;
}

/** Picks an existing case by typing part of the name; cases you only view cannot be searched. */
export function CasePicker({ value, onChange }: CasePickerProps) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const cases = useCases({ q: debounced || undefined, pageSize: 50 });
  const data =
    cases.data?.items
      .filter((person) => canEdit(person.role))
      .map((person) => ({
        value: person.id,
        label: `${person.firstName} ${person.lastName} · ${plural(person.photoCount, 'photo')}`,
      })) ?? [];
  return (
    <Select
      label="Existing case"
      placeholder={cases.isPending ? 'Loading cases…' : 'Type a name'}
      searchable
      clearable
      data={data}
      value={value}
      onChange={onChange}
      searchValue={search}
      onSearchChange={setSearch}
      nothingFoundMessage={cases.isPending ? 'Loading…' : 'No case with this name'}
      error={cases.isError ? 'The cases could not be loaded' : undefined}
      filter={({ options }) => options}
    />
  );
}
