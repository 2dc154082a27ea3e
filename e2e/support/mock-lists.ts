import type { Page } from '@playwright/test';
import type { SearchListItem } from '../../src/contracts/search.contract.js';

/** A search as the lists send it: `status`, with one match on one video unless said otherwise. */
export function mockListItem(
  index: number,
  status: SearchListItem['status'],
  fields: Partial<SearchListItem> = {},
): SearchListItem {
  return {
    id: `00000000-0000-4000-8000-0000000b${index.toString().padStart(4, '0')}`,
    role: 'owner',
    status,
    preset: 'balanced',
    threshold: 0.6,
    priority: 'normal',
    missingPerson: {
      id: '00000000-0000-4000-8000-0000000000c5',
      firstName: 'Mock',
      lastName: `Person ${index}`,
    },
    videoCount: 1,
    matchCount: 1,
    progress: status === 'completed' ? 100 : 40,
    createdAt: '2026-05-01T09:30:00.000Z',
    startedAt: '2026-05-01T09:30:02.000Z',
    finishedAt: null,
    ...fields,
  };
}

/** Answers the searches list, the dashboard's running searches and its recent ones with `items`. */
export async function mockSearchLists(page: Page, items: SearchListItem[]): Promise<void> {
  const running = items.filter((item) => ['queued', 'running', 'paused'].includes(item.status));
  await page.route(/\/api\/searches\?/, (route) =>
    route.fulfill({ json: { items, total: items.length } }),
  );
  await page.route('**/api/dashboard/recent-searches*', (route) =>
    route.fulfill({ json: { items } }),
  );
  await page.route('**/api/dashboard/active-searches*', (route) =>
    route.fulfill({ json: { items: running } }),
  );
}
