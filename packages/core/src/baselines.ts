import { InvalidArgumentError } from './errors';
import type { Configuration } from './sweep';
import { configurationId } from './sweep';
import { nearestName } from './validate';

/** A configuration to compare with another that differs from it on one axis only: the axis's baseline value. */
export interface BaselinePair {
  /** The axis that differs: `runner`, `model`, `batch`, `seq`, `threads`, or `opt.<name>`. */
  axis: string;
  /** The configuration compared (B). */
  id: string;
  /** The configuration it is compared with (A): the same but for `axis`, at its baseline value. */
  baseline: string;
  /** The baseline's value on `axis`, as text (`fp32`, `1`, `node-cpu`). */
  baselineValue: string;
}

/**
 * For every axis on which the configurations vary, each configuration that is not at the axis's
 * baseline value is paired with the one that differs only there. The baseline is the axis's
 * first value, or `chosen[axis]` (`--baseline precision=fp32`; option axes are named without
 * `opt.`). A chosen axis or value that the sweep lacks is refused, naming what it has.
 */
export function baselinePairs(configurations: readonly Configuration[], chosen: Readonly<Record<string, string>> = {}): BaselinePair[] {
  const axes = new Map<string, string[]>();
  for (const configuration of configurations) {
    for (const [axis, value] of axisValues(configuration)) {
      const values = axes.get(axis) ?? [];
      if (!values.includes(value)) values.push(value);
      axes.set(axis, values);
    }
  }
  const varying = [...axes].filter(([, values]) => values.length > 1);
  const baselineOf = new Map(varying.map(([axis, values]) => [axis, values[0]!]));
  for (const [name, value] of Object.entries(chosen)) {
    const axis = axes.has(name) ? name : axes.has(`opt.${name}`) ? `opt.${name}` : undefined;
    if (!axis || !baselineOf.has(axis)) {
      const names = varying.map(([a]) => a.replace(/^opt\./, ''));
      const near = nearestName(name, names);
      throw new InvalidArgumentError(`--baseline ${name}=${value}: the sweep does not vary "${name}"${near ? ` (did you mean ${near}?)` : ''}; it varies ${names.join(', ') || 'nothing'}`);
    }
    const values = axes.get(axis)!;
    if (!values.includes(value)) throw new InvalidArgumentError(`--baseline ${name}=${value}: the sweep's ${name} values are ${values.join(', ')}`);
    baselineOf.set(axis, value);
  }
  const ids = new Set(configurations.map((c) => c.id));
  const pairs: BaselinePair[] = [];
  for (const configuration of configurations) {
    for (const [axis, value] of axisValues(configuration)) {
      const baselineValue = baselineOf.get(axis);
      if (baselineValue === undefined || value === baselineValue) continue;
      const baseline = configurationId(withAxis(configuration, axis, baselineValue));
      if (ids.has(baseline)) pairs.push({ axis, id: configuration.id, baseline, baselineValue });
    }
  }
  return pairs;
}

/** A configuration's value on each axis, as text (option values as their JSON, strings bare). */
function axisValues(configuration: Configuration): [string, string][] {
  const values: [string, string][] = [['runner', configuration.runner], ['batch', String(configuration.batchSize)]];
  if (configuration.model !== undefined) values.push(['model', configuration.model]);
  if (configuration.sequenceLength !== undefined) values.push(['seq', String(configuration.sequenceLength)]);
  if (configuration.threads !== undefined) values.push(['threads', String(configuration.threads)]);
  for (const [key, value] of Object.entries(configuration.options)) values.push([`opt.${key}`, typeof value === 'string' ? value : JSON.stringify(value)]);
  return values;
}

function withAxis(configuration: Configuration, axis: string, text: string): Omit<Configuration, 'id'> {
  const { id: _id, ...copy } = configuration;
  const next = { ...copy, options: { ...copy.options } };
  if (axis === 'runner') next.runner = text;
  else if (axis === 'batch') next.batchSize = Number(text);
  else if (axis === 'model') next.model = text;
  else if (axis === 'seq') next.sequenceLength = Number(text);
  else if (axis === 'threads') next.threads = Number(text);
  else {
    const key = axis.slice('opt.'.length);
    const original = configuration.options[key];
    next.options[key] = typeof original === 'string' ? text : JSON.parse(text);
  }
  return next;
}
