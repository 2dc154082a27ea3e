import type { Config } from '../config.js';
import { MemoryEventBus } from './event.memory-bus.js';
import { RedisEventBus } from './event.redis-bus.js';
import type { EventBus } from './event.types.js';

/** Redis pub/sub when `REDIS_URL` is set (events cross processes), otherwise in memory. */
export function createEventBus(
  config: Config,
  logger: { error(details: object, message: string): void },
): EventBus {
  const onListenerError = (error: unknown, channel: string) =>
    logger.error({ err: error, channel }, 'an event listener failed');
  if (config.REDIS_URL) {
    return new RedisEventBus({
      redisUrl: config.REDIS_URL,
      prefix: `${config.REDIS_PREFIX}:events`,
      onListenerError,
      onConnectionError: (error) => logger.error({ err: error }, 'Redis error (events)'),
    });
  }
  return new MemoryEventBus(onListenerError);
}
