/** Every query key of the settings feature: the account's own sessions and API tokens. */
export const settingsKeys = {
  sessions: () => ['auth', 'sessions'] as const,
  tokens: () => ['auth', 'tokens'] as const,
};
