import { Anchor } from '@mantine/core';
import { Link } from 'react-router';
import { StatusBadge, type DataListColumn } from './data-list';
import { formatDateTime } from '../../lib/format';
import { searchPage, searchStatusColor, type SearchListItem } from '../../lib/search-events';

/** Columns that the searches list and the dashboard's recent searches both show. */
export const searchColumns = {
  person: {
    header: 'Person',
    cell: (search) => (
      <Anchor component={Link} to={searchPage(search)}>
        {search.missingPerson.firstName} {search.missingPerson.lastName}
      </Anchor>
    ),
  },
  status: {
    header: 'Status',
    cell: (search) => <StatusBadge status={search.status} colors={searchStatusColor} />,
  },
  matches: { header: 'Matches', cell: (search) => search.matchCount },
  createdAt: (header: string) => ({ header, cell: (search) => formatDateTime(search.createdAt) }),
} satisfies Record<
  string,
  DataListColumn<SearchListItem> | ((header: string) => DataListColumn<SearchListItem>)
>;
