const PHRASES: Record<string, string> = {
  ECONNREFUSED: 'Connection refused',
  ECONNRESET: 'Connection reset by peer',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  ETIMEDOUT: 'Connection timed out',
};

/** A socket error as ffmpeg would word it, so one set of rules classifies both. */
export function networkFailure(error: NodeJS.ErrnoException): string {
  return PHRASES[error.code ?? ''] ?? error.message;
}
