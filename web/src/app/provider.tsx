import { MantineProvider } from '@mantine/core';
import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useState, type ReactNode } from 'react';
import { SessionWatcher } from '../lib/auth';
import { createQueryClient } from '../lib/react-query';
import { cssVariablesResolver, theme } from './theme';

const AppNotifications = lazy(() => import('./notifications'));

export function AppProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <QueryClientProvider client={queryClient}>
        <Suspense fallback={null}>
          <AppNotifications />
        </Suspense>
        <SessionWatcher />
        {children}
      </QueryClientProvider>
    </MantineProvider>
  );
}
