import { InvalidArgumentError } from './errors';
import type { Measurement } from './measurement';
import type { MeasureOptions, Runs, RunsContext, WarmPhases } from './open-measurement';
import type { Session, SessionInfo } from './runner';
import { sessionRuns } from './session-runs';

/**
 * A measurement whose steady state is taken whole by another party: a LoadGen scenario pacing its
 * own queries on `session`, or a child process measuring a configuration alone. What `openMeasurement({ measure })` measures.
 */
export interface WholeSource {
  /** The runner's name, for the result's session until the measurement has one. */
  runner: string;
  /**
   * The session the measurement runs on, when it is in this process: the loop takes its first run
   * and warm-up (timed, as for every session) and disposes it on close.
   */
  session?: Session;
  /** Takes the steady state whole; its `phases` are kept, except the first run and warm-up the loop timed. */
  measure(signal?: AbortSignal): Promise<Measurement>;
  /** Why it takes no memory readings, when it takes none: said in the result's notes. */
  noMemory?: string;
}

/** Runs taken whole: one `take` runs the source's measurement, and it is done after that. */
export function wholeRuns(source: WholeSource, options: MeasureOptions, context: RunsContext): Runs {
  const session = source.session ? sessionRuns(source.session, { ...options, concurrency: 1, memory: false }, context) : undefined;
  let measurement: Measurement | undefined;
  let warmed: WarmPhases | undefined;
  return {
    get info(): SessionInfo {
      return measurement?.session ?? source.session?.info ?? { runner: source.runner, executionProvider: 'unknown', settings: {} };
    },
    concurrency: 1,
    ...(source.noMemory ? { noMemory: source.noMemory } : {}),
    async warm(): Promise<WarmPhases> {
      warmed = session ? await session.warm() : { firstRunMs: 0, warmupMs: 0, warmupIterations: 0 };
      return warmed;
    },
    async take() {
      if (!warmed) throw new InvalidArgumentError('steady runs before warm()');
      if (measurement) return;
      const whole = await source.measure(context.signal);
      // The first run and warm-up this loop timed replace what a scenario (which takes none) says.
      measurement = session ? { ...whole, phases: { ...whole.phases, firstRunMs: warmed.firstRunMs, warmupMs: warmed.warmupMs, warmupIterations: warmed.warmupIterations } } : whole;
    },
    whole: () => measurement,
    close: async () => {
      await source.session?.dispose();
    },
  };
}
