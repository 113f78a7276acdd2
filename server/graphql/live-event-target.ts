// Without REDIS_URL, subscriptions fan out inside this process. With it, every
// Floatline process publishes to and hears from Redis, so a borrow served by one
// process reaches subscribers of all of them.
import type { Logger } from '../observability/logger.ts';

export type LiveEventTarget = { eventTarget: EventTarget; close?: () => Promise<void> } | undefined;

export async function createLiveEventTarget(redisUrl: string | undefined, log: Logger) {
  if (!redisUrl) return undefined;
  const [{ Redis }, { createRedisEventTarget }] = await Promise.all([import('ioredis'), import('@graphql-yoga/redis-event-target')]);
  const publishClient = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
  const subscribeClient = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
  try {
    await Promise.all([publishClient.connect(), subscribeClient.connect()]);
  } catch (err) {
    throw new Error(`REDIS_URL: cannot connect to ${redisUrl}: ${(err as Error).message}`);
  }
  log.info({ event: 'redis_connected' }, 'live updates go through Redis');
  return {
    eventTarget: createRedisEventTarget({ publishClient, subscribeClient }),
    close: async () => { publishClient.disconnect(); subscribeClient.disconnect(); },
  };
}
