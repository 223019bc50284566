// Every minute: pending orders past their expires-at become expired and give their tickets back
// (domain/orders.ts). A payment confirmed before this run still counts; after it, the order is gone.
import type { JobDefinition } from './queue.ts';
import type { JobContext } from './context.ts';
import { expireOrders } from '../domain/orders.ts';

export const ORDER_EXPIRY_QUEUE = 'order-expiry';

export function orderExpiryJob(context: JobContext): JobDefinition {
  return {
    name: ORDER_EXPIRY_QUEUE,
    cron: '* * * * *',
    // A missed run is made up by the next one a minute later: no retries piling up behind it.
    queue: { retryLimit: 0, expireInSeconds: 5 * 60 },
    run: () => expireOrders(context.connection.db),
  };
}
