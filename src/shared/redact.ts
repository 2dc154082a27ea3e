/**
 * Removes credentials from a text meant for people (an API message, a WebSocket event, a log
 * line, a stored error): the user:password part of every URL and the value of Authorization
 * headers. ffmpeg quotes its input URL and request headers in its errors, camera passwords included.
 */
export function redactCredentials(text: string): string {
  return text
    .replace(/\b([a-z][a-z\d+.-]*:\/\/)[^\s/?#@]*@/gi, '$1***@')
    .replace(/\b((?:proxy-)?authorization\s*[:=]\s*)[^\r\n]*/gi, '$1***');
}
