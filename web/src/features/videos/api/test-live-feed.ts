import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export interface LiveFeedTest {
  ok: boolean;
  codec?: string;
  width?: number;
  height?: number;
  fps?: number;
}

export const testLiveFeed = (url: string) =>
  api<LiveFeedTest>('/api/videos/live/test', { method: 'POST', body: { url } });

export const useTestLiveFeed = () => useMutation({ mutationFn: testLiveFeed });
