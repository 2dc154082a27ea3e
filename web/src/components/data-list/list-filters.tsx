import { Button, SegmentedControl, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState, type ReactNode } from 'react';
import type { DataListPaging } from './data-list';

/** The value of a choice filter that narrows nothing. */
export const ALL = 'all';

/** Filter values by name; `q`, when present, is the typed text search. */
type Filters = Record<string, string> & { q?: string };

/** The filters as query parameters: "all" and empty text ask for everything, so they are left out. */
export type ListParams<F extends Filters> = {
  [Key in keyof F]?: Exclude<F[Key], typeof ALL>;
} & { page: number; pageSize: number };

const narrows = (value: string) => value !== ALL && value !== '';

/**
 * Filter values and the page of a list: the query parameters to fetch it with, and the paging
 * props of its `DataList`. Changing a filter goes back to page 1, since the page the user was on
 * may not exist in the narrower list. Typed text counts once the user pauses typing, so each
 * keystroke does not ask the server.
 */
export function useListFilters<F extends Filters>(initial: F, pageSize: number) {
  const [filters, setFilters] = useState(initial);
  const [page, setPage] = useState(1);
  const [settledText] = useDebouncedValue(filters.q?.trim() ?? '', 300);
  const settled = 'q' in filters ? { ...filters, q: settledText } : filters;

  const setFilter = <Key extends keyof F>(key: Key, value: F[Key]) => {
    setFilters((current) => ({ ...current, [key]: value }));
    setPage(1);
  };
  /** The value and change handler of one filter's input. */
  const bind = <Key extends keyof F>(key: Key) => ({
    value: filters[key],
    onChange: (value: F[Key]) => setFilter(key, value),
  });
  const params = {
    ...Object.fromEntries(Object.entries(settled).filter(([, value]) => narrows(value))),
    page,
    pageSize,
  } as ListParams<F>;
  const paging: DataListPaging = { page, pageSize, onChange: setPage };
  /** Whether the list shown is narrowed, so an empty one says "no match" rather than "none yet". */
  const isFiltered = Object.values(settled).some(narrows);
  const clear = () => {
    setFilters(initial);
    setPage(1);
  };
  return { filters, setFilter, bind, params, paging, isFiltered, clear };
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

/**
 * The action of an empty list: "Show all" when filters hid everything, else `none` (e.g. a button
 * that adds the first one).
 */
export function emptyListAction(
  list: { isFiltered: boolean; clear: () => void },
  none: ReactNode,
): ReactNode {
  if (!list.isFiltered) return none;
  return (
    <Button variant="default" onClick={list.clear}>
      Show all
    </Button>
  );
}
