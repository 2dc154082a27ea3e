import { SegmentedControl, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import type { DataListPaging } from './data-list';

/** The value of a choice filter that narrows nothing. */
export const ALL = 'all';

/** A choice filter's value as a query parameter: "all" asks for everything. */
export const unlessAll = <Value extends string>(value: Value | typeof ALL) =>
  value === ALL ? undefined : value;

/**
 * Filter values and the page of a list, and the paging props of its `DataList`. Changing a filter goes back to page 1, since the page the
 * user was on may not exist in the narrower list.
 */
export function useListFilters<Filters extends Record<string, string>>(
  initial: Filters,
  pageSize: number,
) {
  const [filters, setFilters] = useState(initial);
  const [page, setPage] = useState(1);
  const setFilter = <Key extends keyof Filters>(key: Key, value: Filters[Key]) => {
    setFilters((current) => ({ ...current, [key]: value }));
    setPage(1);
  };
  /** The value and change handler of one filter's input. */
  const bind = <Key extends keyof Filters>(key: Key) => ({
    value: filters[key],
    onChange: (value: Filters[Key]) => setFilter(key, value),
  });
  const paging: DataListPaging = { page, pageSize, onChange: setPage };
  return { filters, setFilter, bind, page, paging };
}

/** Typed text, trimmed, once the user pauses typing, so each keystroke does not ask the server. */
export function useSettledText(text: string) {
  const [settled] = useDebouncedValue(text.trim(), 300);
  return settled;
}

interface TextFilterProps {
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
}

export function TextFilter({ label, placeholder, value, onChange }: TextFilterProps) {
  return (
    <TextInput
      placeholder={placeholder}
      aria-label={label}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      w={{ base: '100%', sm: 260 }}
    />
  );
}

interface SegmentFilterProps<Value extends string> {
  label: string;
  value: Value;
  onChange: (value: Value) => void;
  options: readonly { value: Value; label: string }[];
}

export function SegmentFilter<Value extends string>({
  label,
  value,
  onChange,
  options,
}: SegmentFilterProps<Value>) {
  return (
    <SegmentedControl
      aria-label={label}
      value={value}
      onChange={(next) => onChange(next as Value)}
      data={[...options]}
    />
  );
}
