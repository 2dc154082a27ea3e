import { AppError } from '../shared/app-error.js';

const LIVE_SCHEMES = ['rtsp:', 'rtsps:', 'http:', 'https:'];

/** Accepts RTSP(S) cameras and HTTP(S) streams (HLS playlists, MPEG-TS, MJPEG); returns the URL. */
export function parseLiveFeedUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AppError('VALIDATION_FAILED', 'url: not a valid URL', {
      issues: [{ path: 'body.url', message: 'not a valid URL' }],
    });
  }
  if (!LIVE_SCHEMES.includes(url.protocol) || !url.hostname) {
    throw new AppError(
      'VALIDATION_FAILED',
      'url: a live feed must be an rtsp://, rtsps://, http:// or https:// URL with a host',
      { issues: [{ path: 'body.url', message: `scheme ${url.protocol} is not supported` }] },
    );
  }
  return url.toString();
}

/** The URL as shown in responses and logs: a password embedded in it is replaced by `***`. */
export function maskLiveFeedUrl(text: string): string {
  const url = new URL(text);
  if (url.password) url.password = '***';
  return url.toString();
}
