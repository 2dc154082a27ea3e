import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { searchKeys } from './search-keys';

/** Where a live search's matches are sent, and when its live analysis stops. */
export interface AlertSettings {
  webhookUrl: string | null;
  /** Shown to the owner and editors: the receiver checks X-MPF-Signature with it. */
  webhookSecret: string | null;
  email: string | null;
  endsAt: string | null;
}

/** null removes a setting; a field left out is kept. */
export interface AlertSettingsInput {
  webhookUrl?: string | null;
  email?: string | null;
  endsAt?: string | null;
  rotateSecret?: boolean;
}

const alertsUrl = (searchId: string) => `/api/searches/${searchId}/alerts`;

export const getAlertSettings = (searchId: string) => api<AlertSettings>(alertsUrl(searchId));

export const alertSettingsQueryOptions = (searchId: string) =>
  queryOptions({
    queryKey: searchKeys.alerts(searchId),
    queryFn: () => getAlertSettings(searchId),
  });

export const useAlertSettings = (searchId: string, enabled = true) =>
  useQuery({ ...alertSettingsQueryOptions(searchId), enabled });

export const setAlertSettings = ({
  searchId,
  input,
}: {
  searchId: string;
  input: AlertSettingsInput;
}) => api<AlertSettings>(alertsUrl(searchId), { method: 'PUT', body: input });

export const useSetAlertSettings = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: setAlertSettings,
    onSuccess: (settings, { searchId }) =>
      queryClient.setQueryData(searchKeys.alerts(searchId), settings),
  });
};
