import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { ErrorCode, firstLineOf, InvalidArgumentError, OrtbenchError } from '@ortbench/core';

/** Where a fleet's queue is: connection options for Redis, and a form that is safe to print. */
export interface QueueAddress {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  /** rediss:// — TLS, with the system's CAs or the one given. */
  tls?: { servername?: string; ca?: Buffer };
  /** The URL with the password replaced by ***: the only form that reaches results, reports and logs. */
  display: string;
}

/** How a caller may complete the URL: a password kept out of argv, a CA for a private TLS certificate. */
export interface QueueCredentials {
  /** Used when the URL has no password (e.g. from ORTBENCH_QUEUE_PASSWORD, so it is not visible in `ps`). */
  password?: string;
  /** A PEM file with the CA that signed the server's certificate (rediss:// only). */
  caFile?: string;
}

/**
 * Parses `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS). A malformed URL is
 * INVALID_ARGUMENT naming the flag and what is wrong — with the password never echoed.
 */
export function parseQueueUrl(text: string, credentials: QueueCredentials = {}, flag = '--queue'): QueueAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InvalidArgumentError(`${flag}: not a URL (expected redis://[user:password@]host:port[/db] or rediss://…)`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new InvalidArgumentError(`${flag}: ${url.protocol}// is not a Redis URL (expected redis:// or rediss://)`);
  }
  if (!url.hostname) throw new InvalidArgumentError(`${flag}: no host in the URL`);
  const port = url.port === '' ? 6379 : Number(url.port);
  const dbText = url.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d{1,5}$/.test(dbText)) throw new InvalidArgumentError(`${flag}: database "${dbText}" is not a number (redis://host:port/0)`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const username = url.username ? decodeURIComponent(url.username) : undefined;
  const password = url.password ? decodeURIComponent(url.password) : credentials.password || undefined;
  const address: QueueAddress = {
    host,
    port,
    db: dbText === '' ? 0 : Number(dbText),
    display: `${url.protocol}//${username ? `${encodeURIComponent(username)}${password ? ':***' : ''}@` : password ? ':***@' : ''}${url.host}/${dbText || 0}`,
  };
  if (username) address.username = username;
  if (password) address.password = password;
  if (url.protocol === 'rediss:') {
    // SNI takes host names only (RFC 6066); an IP address is still checked against the certificate.
    address.tls = isIP(host) ? {} : { servername: host };
    if (credentials.caFile) address.tls.ca = readCa(credentials.caFile);
  } else if (credentials.caFile) {
    throw new InvalidArgumentError(`--queue-ca: ${credentials.caFile} is for TLS, but ${address.display} is not rediss://`);
  }
  return address;
}

function readCa(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new OrtbenchError(ErrorCode.FILE_NOT_FOUND, `--queue-ca: ${file}: cannot read it (${firstLineOf(error)})`);
  }
}

/** ioredis options for an address; `persistent` connections retry for ever (workers, BullMQ), the probe does not. */
export function redisOptions(address: QueueAddress, persistent: boolean): Record<string, unknown> {
  return {
    host: address.host,
    port: address.port,
    db: address.db,
    ...(address.username ? { username: address.username } : {}),
    ...(address.password ? { password: address.password } : {}),
    ...(address.tls ? { tls: address.tls } : {}),
    // BullMQ's blocking connections need this null; our own commands then wait out a Redis restart.
    maxRetriesPerRequest: persistent ? null : 0,
    connectTimeout: 5000,
    ...(persistent ? { retryStrategy: (times: number) => Math.min(200 * times, 2000) } : { retryStrategy: () => null, lazyConnect: true }),
  };
}
