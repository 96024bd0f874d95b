import { ErrorCode, InvalidArgumentError, OrtbenchError, RunnerUnavailableError } from './errors';
import type { Availability, Runner } from './runner';

const NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

/** One line of {@link RunnerRegistry.report}: a runner and whether it can run here. */
export interface RunnerStatus {
  name: string;
  description?: string;
  available: boolean;
  /** Why it cannot run (unavailable), or a detail such as an adapter name (available). */
  reason?: string;
}

interface Entry {
  runner: Runner;
  priority: number;
  availability?: Promise<Availability>;
}

/**
 * Resolves runners by name. An explicit instance, not a module-level singleton: a
 * program builds one, registers the runners it wants (built-in or its own) and passes it on.
 * A requested runner that cannot run is an error with its reason, never a fallback.
 */
export class RunnerRegistry {
  readonly #entries = new Map<string, Entry>();

  /**
   * Adds a runner. `priority` orders {@link names} and {@link resolveFirst} (higher first).
   * A name already taken is an error unless `replace` is set.
   */
  register(runner: Runner, options: { priority?: number; replace?: boolean } = {}): this {
    assertRunnerShape(runner);
    if (this.#entries.has(runner.name) && !options.replace) {
      throw new InvalidArgumentError(`runner "${runner.name}" is already registered`);
    }
    this.#entries.set(runner.name, { runner, priority: options.priority ?? 0 });
    return this;
  }

  /** True when a runner of this name is registered. */
  has(name: string): boolean {
    return this.#entries.has(name);
  }

  /** Registered names, highest priority first, then in registration order. */
  names(): string[] {
    return [...this.#entries.entries()]
      .map(([name, entry], index) => ({ name, priority: entry.priority, index }))
      .sort((a, b) => b.priority - a.priority || a.index - b.index)
      .map((item) => item.name);
  }

  /** The runner registered under `name`, without checking availability. */
  get(name: string): Runner {
    const entry = this.#entries.get(name);
    if (!entry) throw this.#unknown(name);
    return entry.runner;
  }

  /**
   * Whether `name` can run here. Checked once per registry and cached, because probing a
   * GPU or launching a browser is slow; a throwing check counts as unavailable.
   */
  availability(name: string): Promise<Availability> {
    const entry = this.#entries.get(name);
    if (!entry) return Promise.reject(this.#unknown(name));
    entry.availability ??= probe(entry.runner);
    return entry.availability;
  }

  /** The runner named `name`, or RunnerUnavailableError with the reason it cannot run. */
  async resolve(name: string): Promise<Runner> {
    const runner = this.get(name);
    const availability = await this.availability(name);
    if (!availability.available) throw new RunnerUnavailableError(name, availability.reason);
    return runner;
  }

  /**
   * The first of `names` that can run, in the order given. Only for callers that asked for
   * alternatives; when none can run, the error lists every runner's reason.
   */
  async resolveFirst(names: readonly string[]): Promise<Runner> {
    const failures: string[] = [];
    for (const name of names) {
      try {
        return await this.resolve(name);
      } catch (error) {
        failures.push(`[${name}] ${error instanceof RunnerUnavailableError ? error.reason : (error as Error).message}`);
      }
    }
    throw new OrtbenchError(ErrorCode.RUNNER_UNAVAILABLE, `no available runner: ${failures.join(', ') || 'none requested'}`);
  }

  /** Every registered runner with its availability, for `ortbench env`. */
  async report(): Promise<RunnerStatus[]> {
    return Promise.all(
      this.names().map(async (name) => {
        const runner = this.get(name);
        const availability = await this.availability(name);
        const status: RunnerStatus = { name, available: availability.available };
        if (runner.description) status.description = runner.description;
        const reason = availability.available ? availability.details : availability.reason;
        if (reason) status.reason = reason;
        return status;
      }),
    );
  }

  #unknown(name: string): OrtbenchError {
    return new OrtbenchError(ErrorCode.RUNNER_UNKNOWN, `unknown runner "${name}" (registered: ${this.names().join(', ') || 'none'})`);
  }
}

function assertRunnerShape(runner: Runner): void {
  if (typeof runner !== 'object' || runner === null) {
    throw new InvalidArgumentError('a runner must be an object with a name and a load() method');
  }
  if (typeof runner.name !== 'string' || !NAME_PATTERN.test(runner.name)) {
    throw new InvalidArgumentError(`runner name ${JSON.stringify(runner.name)} must be lower-case letters, digits and dashes`);
  }
  if (typeof runner.load !== 'function') {
    throw new InvalidArgumentError(`runner "${runner.name}" has no load() method`);
  }
  if (runner.availability !== undefined && typeof runner.availability !== 'function') {
    throw new InvalidArgumentError(`runner "${runner.name}": availability must be a method`);
  }
}

async function probe(runner: Runner): Promise<Availability> {
  if (!runner.availability) return { available: true };
  try {
    return await runner.availability();
  } catch (error) {
    return { available: false, reason: `availability check failed: ${(error as Error).message ?? String(error)}` };
  }
}
