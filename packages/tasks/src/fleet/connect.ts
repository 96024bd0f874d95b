import { ErrorCode, firstLineOf, OrtbenchError } from '@ortbench/core';
import { Redis } from 'ioredis';
import type { QueueAddress } from './queue-url';
import { redisOptions } from './queue-url';

/**
 * Checks that the queue answers, with these credentials, within `timeoutMs` — before anything
 * is submitted or a worker starts — and opens the connection ortbench uses for its own keys.
 * Unreachable: QUEUE_UNAVAILABLE; refused credentials or certificate: QUEUE_AUTH_FAILED. The
 * message names the URL without its password.
 */
export async function connectQueue(address: QueueAddress, timeoutMs = 5000): Promise<Redis> {
  const probe = new Redis({ ...redisOptions(address, false), connectTimeout: timeoutMs });
  // ioredis reports an authentication failure here and then only "Connection is closed".
  let cause: unknown;
  probe.on('error', (error) => (cause ??= error));
  try {
    await withTimeout(
      (async () => {
        await probe.connect();
        await probe.ping();
      })(),
      timeoutMs,
    );
  } catch (error) {
    throw queueError(address, cause ?? error, timeoutMs);
  } finally {
    probe.disconnect();
  }
  const redis = new Redis(redisOptions(address, true));
  redis.on('error', () => undefined); // reconnects by itself; commands wait meanwhile
  return redis;
}

/** Turns what ioredis threw into one line with a stable code. */
export function queueError(address: QueueAddress, error: unknown, timeoutMs: number): OrtbenchError {
  const message = firstLineOf(error);
  if (/NOAUTH/.test(message)) {
    return new OrtbenchError(ErrorCode.QUEUE_AUTH_FAILED, `${address.display}: the queue needs a password (give it in the URL, or in ORTBENCH_QUEUE_PASSWORD)`);
  }
  if (/WRONGPASS|invalid password|AUTH/i.test(message)) {
    return new OrtbenchError(ErrorCode.QUEUE_AUTH_FAILED, `${address.display}: the queue refused the credentials (${message.replace(/\s+-\s+.*$/, '')})`);
  }
  if (/certificate|self[- ]signed|SSL|TLS/i.test(message)) {
    return new OrtbenchError(ErrorCode.QUEUE_AUTH_FAILED, `${address.display}: TLS failed (${message}); for a private CA pass --queue-ca FILE`);
  }
  const why = message === 'timeout' ? `no answer within ${timeoutMs / 1000} s` : message;
  return new OrtbenchError(ErrorCode.QUEUE_UNAVAILABLE, `${address.display}: cannot reach the queue (${why}); is redis-server running there?`);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
