import { ApiError, csrfHeaders, toApiError } from './api-client';

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface Upload<T> {
  /** Resolves with the JSON answer; rejects with ApiError, or `UploadCancelledError` on cancel. */
  result: Promise<T>;
  cancel(): void;
}

export class UploadCancelledError extends Error {
  constructor() {
    super('Upload cancelled');
    this.name = 'UploadCancelledError';
  }
}

/**
 * Sends a multipart form with XMLHttpRequest, because fetch cannot report upload progress.
 * Field order matters to the server (text fields before the file), so callers build the form.
 */
export function uploadForm<T>(
  url: string,
  form: FormData,
  onProgress: (progress: UploadProgress) => void,
): Upload<T> {
  const xhr = new XMLHttpRequest();
  const result = new Promise<T>((resolve, reject) => {
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    for (const [name, value] of Object.entries(csrfHeaders())) xhr.setRequestHeader(name, value);
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress({ loaded: event.loaded, total: event.total });
    });
    xhr.addEventListener('load', () => {
      let body: unknown = undefined;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else reject(toApiError(xhr.status, body));
    });
    xhr.addEventListener('error', () =>
      reject(new ApiError(0, 'NETWORK', 'The upload was interrupted; check your connection')),
    );
    xhr.addEventListener('abort', () => reject(new UploadCancelledError()));
    xhr.send(form);
  });
  return { result, cancel: () => xhr.abort() };
}
