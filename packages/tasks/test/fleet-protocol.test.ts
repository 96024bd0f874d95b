import { describe, expect, it } from 'vitest';
import { FLEET_JOB_SCHEMA, fleetJobProblem, jobIdOf } from '../src/fleet/protocol';
import { jobOptionsOf, workerOptionsOf } from '../src/fleet/job-options';
import { parseQueueUrl } from '../src/fleet/queue-url';
import { resolveBenchOptions } from '../src/bench/options';

describe('queue URLs', () => {
  it('reads user, password, port and database, and prints the password as ***', () => {
    const address = parseQueueUrl('redis://bench:p%40ss@fleet.lan:6380/3');
    expect(address).toMatchObject({ host: 'fleet.lan', port: 6380, db: 3, username: 'bench', password: 'p@ss', display: 'redis://bench:***@fleet.lan:6380/3' });
    expect(parseQueueUrl('redis://:secret@fleet.lan').display).toBe('redis://:***@fleet.lan/0');
    expect(parseQueueUrl('redis://fleet.lan').port).toBe(6379);
  });

  it('takes the password from the caller when the URL has none, never showing it', () => {
    const address = parseQueueUrl('redis://fleet.lan:6379', { password: 'from-env' });
    expect(address.password).toBe('from-env');
    expect(address.display).toBe('redis://:***@fleet.lan:6379/0');
  });

  it('uses TLS for rediss:// with the host as server name', () => {
    expect(parseQueueUrl('rediss://fleet.lan:6380').tls).toEqual({ servername: 'fleet.lan' });
    expect(parseQueueUrl('rediss://127.0.0.1:6380').tls).toEqual({}); // no SNI for an IP address
    expect(parseQueueUrl('redis://fleet.lan').tls).toBeUndefined();
  });

  it('refuses what is not a Redis URL, in one line without the password', () => {
    expect(() => parseQueueUrl('http://u:secret@fleet.lan')).toThrow('--queue: http:// is not a Redis URL');
    expect(() => parseQueueUrl('fleet.lan:6379')).toThrow(/is not a Redis URL|not a URL/);
    expect(() => parseQueueUrl('redis://fleet.lan/abc')).toThrow('database "abc" is not a number');
    expect(() => parseQueueUrl('redis://fleet.lan', { caFile: '/x.pem' })).toThrow('is not rediss://');
    try {
      parseQueueUrl('http://u:secret@fleet.lan');
    } catch (error) {
      expect((error as Error).message).not.toContain('secret');
    }
  });
});

describe('fleet jobs', () => {
  const job = {
    schema: FLEET_JOB_SCHEMA,
    version: 1,
    sweepId: '0123456789abcdef',
    configuration: { id: 'runner=node-cpu batch=1', runner: 'node-cpu', batchSize: 1, options: {} },
    options: { model: 'resnet50', runner: ['node-cpu'] },
    model: { builtIn: 'resnet50' },
  };

  it('accepts an ortbench configuration job of the known schema version', () => {
    expect(fleetJobProblem(job)).toBeUndefined();
    expect(fleetJobProblem({ ...job, model: { sha256: 'a'.repeat(64), bytes: 10, name: 'm.onnx' } })).toBeUndefined();
  });

  it('names what is wrong with anything else', () => {
    expect(fleetJobProblem('rm -rf /')).toBe('not an object');
    expect(fleetJobProblem({ command: 'x' })).toContain('not an ortbench configuration job');
    expect(fleetJobProblem({ ...job, version: 2 })).toContain('job schema version 2; this worker runs version 1');
    expect(fleetJobProblem({ ...job, sweepId: '../x' })).toBe('no valid sweepId');
    expect(fleetJobProblem({ ...job, configuration: { runner: 'node-cpu' } })).toContain('no valid configuration');
    expect(fleetJobProblem({ ...job, model: { sha256: 'abc', bytes: 1, name: 'm' } })).toContain('no valid model reference');
  });

  it('gives a configuration the same job id in a sweep every time, and another in another sweep', () => {
    expect(jobIdOf('0123456789abcdef', 'runner=node-cpu batch=1')).toBe(jobIdOf('0123456789abcdef', 'runner=node-cpu batch=1'));
    expect(jobIdOf('0123456789abcdef', 'runner=node-cpu batch=1')).not.toBe(jobIdOf('0123456789abcdef', 'runner=node-cpu batch=2'));
    expect(jobIdOf('0123456789abcdef', 'a')).not.toContain(':'); // BullMQ refuses ':' in custom ids
  });
});

describe('options that travel in a job', () => {
  it('sends what decides a measurement and nothing that names a local file or output', async () => {
    const options = await resolveBenchOptions('resnet50', { batch: '1,8', out: '/tmp/x', json: true, ciTarget: '5%' });
    expect(jobOptionsOf(options)).toEqual({ model: 'resnet50', runner: ['node-cpu'], batch: [1, 8], ciTarget: 0.05, maxDuration: 8, warmup: 5, concurrency: [1], precision: ['fp32'], batchMode: 'dynamic', roofline: false });
    await expect(async () => jobOptionsOf(await resolveBenchOptions('resnet50', { images: '/photos' }))).rejects.toThrow('--images cannot be used with --queue');
    await expect(async () => jobOptionsOf(await resolveBenchOptions('resnet50', { inputs: '/arrays.npz' }))).rejects.toThrow('--inputs cannot be used with --queue');
    // The dims, shapes and values the user set decide what is measured: they travel.
    const shaped = await resolveBenchOptions('resnet50', { dim: ['height=320,640'], input: ['sr=16000'] });
    expect(jobOptionsOf(shaped)).toMatchObject({ dim: { height: [320, 640] }, input: { sr: 16000 } });
  });

  it('re-validates them on the worker as flags, refusing keys a job may not carry', async () => {
    const options = await workerOptionsOf({ model: 'resnet50', batch: [1, 8], ciTarget: 0.05 }, 'resnet50');
    expect(options).toMatchObject({ model: 'resnet50', batch: [1, 8], ciTarget: 0.05, isolate: true, rounds: 1 });
    await expect(workerOptionsOf({ model: 'resnet50', images: '/etc' }, 'resnet50')).rejects.toThrow('job options images are not accepted from the queue');
    await expect(workerOptionsOf({ model: 'resnet50', batch: [0] }, 'resnet50')).rejects.toThrow('--batch');
  });
});
