/**
 * The dashboard's query keys. They live here rather than in the dashboard feature because the
 * searches feature refreshes the dashboard when a search starts or changes state, and features do
 * not import each other.
 */
export const dashboardKeys = {
  all: ['dashboard'] as const,
  stats: () => [...dashboardKeys.all, 'stats'] as const,
  recentSearches: (limit: number) => [...dashboardKeys.all, 'recent-searches', limit] as const,
  activeSearches: () => [...dashboardKeys.all, 'active-searches'] as const,
};
