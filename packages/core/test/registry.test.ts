import { describe, expect, it } from 'vitest';
import type { Runner } from '../src/index';
import { ErrorCode, RunnerRegistry, RunnerUnavailableError } from '../src/index';
import { fakeRunner } from './fake-runner';

function unavailable(name: string, reason: string, counter?: { calls: number }): Runner {
  return {
    name,
    async availability() {
      if (counter) counter.calls++;
      return { available: false, reason };
    },
    async load() {
      throw new Error('must not be called');
    },
  };
}

describe('RunnerRegistry', () => {
  it('resolves a registered, available runner by name', async () => {
    const registry = new RunnerRegistry().register(fakeRunner({ name: 'fast', serviceMs: 1 }));
    expect((await registry.resolve('fast')).name).toBe('fast');
    expect(registry.has('fast')).toBe(true);
  });

  it('refuses an unavailable runner with its reason instead of falling back', async () => {
    const registry = new RunnerRegistry()
      .register(fakeRunner({ name: 'cpu', serviceMs: 1 }))
      .register(unavailable('gpu', 'no NVIDIA driver found (libcuda.so.1 missing)'));
    const error = await registry.resolve('gpu').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunnerUnavailableError);
    expect(error).toMatchObject({
      code: ErrorCode.RUNNER_UNAVAILABLE,
      message: 'runner "gpu" is unavailable: no NVIDIA driver found (libcuda.so.1 missing)',
    });
  });

  it('names the registered runners when asked for an unknown one', async () => {
    const registry = new RunnerRegistry().register(fakeRunner({ name: 'a', serviceMs: 1 })).register(fakeRunner({ name: 'b', serviceMs: 1 }));
    expect(() => registry.get('c')).toThrow(expect.objectContaining({ code: ErrorCode.RUNNER_UNKNOWN, message: 'unknown runner "c" (registered: a, b)' }));
    await expect(registry.resolve('c')).rejects.toMatchObject({ code: ErrorCode.RUNNER_UNKNOWN });
  });

  it('checks availability once and caches it', async () => {
    const counter = { calls: 0 };
    const registry = new RunnerRegistry().register(unavailable('gpu', 'none', counter));
    await Promise.all([registry.availability('gpu'), registry.availability('gpu'), registry.report()]);
    expect(counter.calls).toBe(1);
  });

  it('treats a throwing availability check as unavailable', async () => {
    const registry = new RunnerRegistry().register({
      name: 'broken',
      availability: async () => {
        throw new Error('dlopen failed');
      },
      load: async () => {
        throw new Error('unreachable');
      },
    });
    expect(await registry.availability('broken')).toEqual({ available: false, reason: 'availability check failed: dlopen failed' });
  });

  it('validates runner shape and refuses duplicate names unless replacing', () => {
    const registry = new RunnerRegistry().register(fakeRunner({ name: 'x', serviceMs: 1 }));
    expect(() => registry.register(fakeRunner({ name: 'x', serviceMs: 1 }))).toThrow(/already registered/);
    expect(() => registry.register(fakeRunner({ name: 'x', serviceMs: 1 }), { replace: true })).not.toThrow();
    expect(() => registry.register({ name: 'Bad Name', load: async () => ({}) as never })).toThrow(/lower-case/);
    expect(() => registry.register({ name: 'noload' } as unknown as Runner)).toThrow(/no load\(\) method/);
  });

  it('orders by priority and lists every failure when no alternative can run', async () => {
    const registry = new RunnerRegistry()
      .register(unavailable('cuda', 'no driver'), { priority: 10 })
      .register(unavailable('webgpu', 'no adapter'), { priority: 5 })
      .register(fakeRunner({ name: 'cpu', serviceMs: 1 }));
    expect(registry.names()).toEqual(['cuda', 'webgpu', 'cpu']);
    expect((await registry.resolveFirst(['cuda', 'webgpu', 'cpu'])).name).toBe('cpu');
    await expect(registry.resolveFirst(['cuda', 'webgpu'])).rejects.toThrow('no available runner: [cuda] no driver, [webgpu] no adapter');
    expect(await registry.report()).toEqual([
      { name: 'cuda', available: false, reason: 'no driver' },
      { name: 'webgpu', available: false, reason: 'no adapter' },
      { name: 'cpu', available: true },
    ]);
  });
});
