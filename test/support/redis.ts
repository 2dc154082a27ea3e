/**
 * The Redis the Redis-backed tests use (TEST_REDIS_URL), or undefined: then those tests are
 * skipped, and `what` is named in a warning so a skipped run says what it did not check.
 */
export function testRedisUrl(what: string): string | undefined {
  const url = process.env.TEST_REDIS_URL;
  if (!url) {
    console.warn(
      `[tests] TEST_REDIS_URL is unset: ${what} skipped. ` +
        'Set it (e.g. redis://127.0.0.1:6379) to run them; .ci/run always does.',
    );
  }
  return url;
}
