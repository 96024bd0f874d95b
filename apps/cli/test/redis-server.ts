import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Why the fleet tests cannot run here, or undefined when Debian's redis-server is installed. */
export function redisMissing(): string | undefined {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? undefined : 'redis-server is not installed (apt-get install redis-server; .ci/run installs it)';
}

/** A real redis-server on 127.0.0.1, on a free port, with its data in a temporary folder. */
export interface RedisServer {
  port: number;
  url: string;
  /** redis-cli against it: `cli('keys', 'ortbench:*')`. */
  cli(...args: string[]): string;
  /** Stops it (its append-only file stays) and starts it again on the same port and folder. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts redis-server in the foreground as a child of the test, so it is stopped in `stop()` and
 * killed with the test process if a test fails before that. `persistent`: append-only file,
 * fsync on every write — what a fleet's Redis should run with.
 */
export async function startRedis(options: { password?: string; persistent?: boolean; tls?: { cert: string; key: string } } = {}): Promise<RedisServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ortbench-redis-'));
  const port = await freePort();
  const listen = options.tls
    ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', options.tls.cert, '--tls-key-file', options.tls.key, '--tls-ca-cert-file', options.tls.cert, '--tls-auth-clients', 'no']
    : ['--port', String(port)];
  const args = [...listen, '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', options.persistent ? 'yes' : 'no', '--appendfsync', 'always'];
  if (options.password) args.push('--requirepass', options.password);
  let child: ChildProcess | undefined;
  const kill = () => child?.kill('SIGKILL');
  process.once('exit', kill);
  const cli = (...command: string[]) => {
    const auth = options.password ? ['-a', options.password, '--no-auth-warning'] : [];
    const tls = options.tls ? ['--tls', '--cacert', options.tls.cert] : [];
    return spawnSync('redis-cli', ['-p', String(port), ...tls, ...auth, ...command], { encoding: 'utf8' }).stdout.trim();
  };
  const start = async () => {
    child = spawn('redis-server', args, { stdio: 'ignore' });
    for (let i = 0; i < 100 && cli('ping') !== 'PONG'; i++) await new Promise((r) => setTimeout(r, 50));
    if (cli('ping') !== 'PONG') throw new Error(`redis-server did not start on port ${port}`);
  };
  const stopChild = async () => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    port,
    url: `${options.tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`,
    cli,
    restart: async () => {
      await stopChild();
      await start();
    },
    stop: async () => {
      await stopChild();
      process.removeListener('exit', kill);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A self-signed certificate for 127.0.0.1 and localhost (openssl), or undefined when openssl is missing. */
export function selfSignedCertificate(dir: string): { cert: string; key: string } | undefined {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { encoding: 'utf8' });
  return made.status === 0 ? { cert, key } : undefined;
}
