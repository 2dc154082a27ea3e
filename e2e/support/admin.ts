/** The admin global-setup.ts registers first on the fresh server (the first account is admin). */
export const E2E_ADMIN = { username: 'admin', password: 'lantern-orchard-47' } as const;
