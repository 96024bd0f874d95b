import { ErrorCode, InputMismatchError, InvalidArgumentError, OrtbenchError } from './errors';
import type { ValueInfo } from './tensor';
import { formatDims } from './tensor';

/**
 * What a symbolic dimension is for, which decides where its value may come from:
 * `batch` and `sequence` take the sweep's batch size and sequence length, `total-sequence` (a
 * mask over past + current tokens) their sum, `expression` (`past_sequence_length + 1`) is
 * computed from the others, and `other` (an image's height, an audio chunk's length, a past
 * length) only from the user: ortbench never guesses it.
 */
export type DimRole = 'batch' | 'sequence' | 'total-sequence' | 'expression' | 'other';

/** A symbolic (or unnamed) dimension of a model's inputs. */
export interface SymbolicDim {
  /** How a user addresses it: its name, or `input:axis` when the model leaves it unnamed. */
  key: string;
  named: boolean;
  role: DimRole;
  /** Where it occurs, as `input:axis`. */
  uses: string[];
}

/** What the caller sets: the sweep's batch and sequence length, and any dim or whole shape. */
export interface ShapeRequest {
  /** The value of batch dims (axis 0 of inputs of rank ≥ 2, or any dim named *batch*). */
  batch?: number;
  /** The value of sequence dims (axis 1 of rank-2 integer inputs). */
  sequenceLength?: number;
  /** Values by dim name, or `input:axis` for an unnamed dim. */
  dims?: Readonly<Record<string, number>>;
  /** Whole shapes by input name. */
  shapes?: Readonly<Record<string, readonly number[]>>;
}

/** Where a symbolic dim's value came from. */
export type DimSource = 'shape' | 'dim' | 'batch' | 'sequence' | 'expression';

/** The concrete shape of every input, and each symbolic dim's value with its source. */
export interface ResolvedShapes {
  shapes: Record<string, number[]>;
  dims: Record<string, { value: number; from: DimSource }>;
}

const OPERATOR = /\s*[+*]\s*|\s+-\s+/;
const PAST = /past/i;

/** True for a dim_param that is arithmetic over other dims (`past_sequence_length + 1`). */
export function isDimExpression(name: string): boolean {
  const terms = name.split(OPERATOR);
  return terms.length > 1 && terms.every((term) => /^[A-Za-z_][\w.]*$|^\d+$/.test(term.trim()));
}

/** Every symbolic dimension of the inputs, with its role, in the order first met. */
export function symbolicDims(inputs: readonly ValueInfo[]): SymbolicDim[] {
  const found = new Map<string, SymbolicDim>();
  const sequenceNames = new Set<string>();
  // The ids' sequence dims first, so a mask over a differently named length can be told apart.
  for (const input of inputs) {
    const dim = input.dims[1];
    if (isTokenLike(input) && !/mask/i.test(input.name) && typeof dim === 'string' && !isDimExpression(dim)) sequenceNames.add(dim);
  }
  const hasPast = inputs.some((input) => input.dims.some((dim) => typeof dim === 'string' && PAST.test(dim) && !isDimExpression(dim)));
  inputs.forEach((input) => {
    input.dims.forEach((dim, axis) => {
      if (typeof dim === 'number') return;
      const key = dim ?? `${input.name}:${axis}`;
      const use = `${input.name}:${axis}`;
      const existing = found.get(key);
      const role = roleOf(input, axis, dim, sequenceNames, hasPast);
      if (existing) {
        existing.uses.push(use);
        // A name that is batch anywhere is batch everywhere (the same value is fed to every input).
        if (role === 'batch' || (role === 'sequence' && existing.role === 'other')) existing.role = role;
      } else {
        found.set(key, { key, named: dim !== null, role, uses: [use] });
      }
    });
  });
  return [...found.values()];
}

function isTokenLike(input: ValueInfo): boolean {
  return input.dims.length === 2 && (input.dtype.startsWith('int') || input.dtype.startsWith('uint') || input.dtype === 'bool');
}

function roleOf(input: ValueInfo, axis: number, dim: string | null, sequenceNames: Set<string>, hasPast: boolean): DimRole {
  if (dim !== null && isDimExpression(dim)) return 'expression';
  if (dim !== null && /batch/i.test(dim)) return 'batch';
  if (axis === 0 && input.dims.length >= 2) return 'batch';
  // A decoder's mask over the encoder's output (encoder_attention_mask) has the source's length, not the decoder's.
  if (axis === 1 && isTokenLike(input) && /encoder/i.test(`${input.name} ${dim ?? ''}`)) return 'other';
  if (axis === 1 && isTokenLike(input) && !(dim !== null && PAST.test(dim))) {
    if (dim !== null && /mask/i.test(input.name) && sequenceNames.size > 0 && !sequenceNames.has(dim) && hasPast) return 'total-sequence';
    return 'sequence';
  }
  return 'other';
}

/**
 * The concrete shape of every input: whole shapes given win, then dims given by name (or
 * `input:axis`), then the sweep's batch and sequence length for the dims that are theirs (a
 * caller whose label must match checks the batch dims' values), then
 * expressions over those. A dim left without a value is INPUT_UNSET naming it and how to set
 * it — never a silent 1. A shape or dim that does not fit the model is INPUT_MISMATCH.
 */
export function resolveInputShapes(inputs: readonly ValueInfo[], request: ShapeRequest = {}): ResolvedShapes {
  const symbolic = symbolicDims(inputs);
  const byKey = new Map(symbolic.map((dim) => [dim.key, dim]));
  const values: ResolvedShapes['dims'] = {};
  const set = (key: string, value: number, from: DimSource) => {
    const earlier = values[key];
    // The batch size and sequence length are the sweep's defaults: a dim or shape the user set wins.
    if (earlier && (from === 'batch' || from === 'sequence') && (earlier.from === 'shape' || earlier.from === 'dim')) return;
    if (earlier && earlier.value !== value) {
      throw new InputMismatchError(`dimension ${key} would be both ${earlier.value} (from ${describeSource(earlier.from)}) and ${value} (from ${describeSource(from)})`);
    }
    if (!earlier) values[key] = { value, from };
  };
  const keyAt = (input: ValueInfo, axis: number) => input.dims[axis] ?? `${input.name}:${axis}`;

  for (const [name, shape] of Object.entries(request.shapes ?? {})) {
    const input = inputs.find((i) => i.name === name);
    if (!input) throw new InvalidArgumentError(`--shape ${name}: the model has no input "${name}" (inputs: ${inputs.map((i) => i.name).join(', ')})`);
    if (shape.length !== input.dims.length) {
      throw new InputMismatchError(`--shape ${name}=${shape.join('x')}: input "${name}" has rank ${input.dims.length} ${formatDims(input.dims)}`);
    }
    shape.forEach((size, axis) => {
      positive(size, `--shape ${name} axis ${axis}`);
      const dim = input.dims[axis];
      if (typeof dim === 'number') {
        if (dim !== size) throw new InputMismatchError(`--shape ${name}=${shape.join('x')}: axis ${axis} of ${formatDims(input.dims)} is fixed at ${dim}`);
        return;
      }
      if (typeof dim === 'string' && isDimExpression(dim)) return; // checked once its terms are known
      set(keyAt(input, axis) as string, size, 'shape');
    });
  }
  for (const [key, value] of Object.entries(request.dims ?? {})) {
    positive(value, `--dim ${key}`);
    if (byKey.has(key)) {
      set(key, value, 'dim');
      continue;
    }
    const fixed = fixedAt(inputs, key);
    if (fixed !== undefined) throw new InvalidArgumentError(`--dim ${key}: that axis is fixed at ${fixed} in the model`);
    const settable = symbolic.filter((d) => d.role !== 'expression').map((d) => d.key);
    throw new InvalidArgumentError(`--dim ${key}: the model has no symbolic dimension "${key}" (${settable.length ? `its dimensions: ${settable.join(', ')}` : 'all its dimensions are fixed'})`);
  }
  for (const dim of symbolic) {
    if (dim.role === 'batch' && request.batch !== undefined) set(dim.key, request.batch, 'batch');
    if (dim.role === 'sequence' && request.sequenceLength !== undefined) set(dim.key, request.sequenceLength, 'sequence');
  }
  // A mask over past + current tokens: the sequence length plus the (one) past length.
  for (const dim of symbolic.filter((d) => d.role === 'total-sequence' && !values[d.key])) {
    const past = symbolic.filter((d) => d.named && PAST.test(d.key) && d.role !== 'expression').map((d) => values[d.key]?.value);
    if (request.sequenceLength !== undefined && past.length === 1 && past[0] !== undefined) set(dim.key, request.sequenceLength + past[0], 'expression');
  }
  for (const dim of symbolic.filter((d) => d.role === 'expression')) {
    const value = evaluateDimExpression(dim.key, (name) => values[name]?.value);
    if (value !== undefined) set(dim.key, value, 'expression');
  }
  const unset = symbolic.filter((dim) => !values[dim.key]);
  if (unset.length > 0) throw unsetError(unset, inputs);

  const shapes: Record<string, number[]> = {};
  for (const input of inputs) {
    shapes[input.name] = input.dims.map((dim, axis) => (typeof dim === 'number' ? dim : (values[keyAt(input, axis) as string] as { value: number }).value));
    const given = request.shapes?.[input.name];
    if (given && given.some((size, axis) => size !== shapes[input.name]![axis])) {
      throw new InputMismatchError(`--shape ${input.name}=${given.join('x')} disagrees with the other dimensions set: ${formatDims(shapes[input.name]!)}`);
    }
  }
  return { shapes, dims: values };
}

function describeSource(from: DimSource): string {
  return { shape: '--shape', dim: '--dim', batch: 'the batch size', sequence: 'the sequence length', expression: 'the dimensions it is computed from' }[from];
}

function positive(value: number, label: string): void {
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`${label}: a size must be a positive integer, got ${value}`);
}

function fixedAt(inputs: readonly ValueInfo[], key: string): number | undefined {
  const match = /^(.*):(\d+)$/.exec(key);
  if (!match) return undefined;
  const dim = inputs.find((i) => i.name === match[1])?.dims[Number(match[2])];
  return typeof dim === 'number' ? dim : undefined;
}

/**
 * The value of dim arithmetic such as `past_sequence_length + 1` (× before +/−; `-` needs
 * spaces, as names may hold one), or undefined while a term's value is unknown.
 */
export function evaluateDimExpression(expression: string, valueOf: (name: string) => number | undefined): number | undefined {
  // split() with a captured separator alternates term, operator, term, …
  const parts = expression.split(/(\+|\s-\s)/);
  let total = 0;
  let sign = 1;
  for (const [index, part] of parts.entries()) {
    if (index % 2 === 1) {
      sign = part.includes('-') ? -1 : 1;
      continue;
    }
    const factors = part.split('*').map((factor) => factor.trim()).map((factor) => (/^\d+$/.test(factor) ? Number(factor) : valueOf(factor)));
    if (factors.some((factor) => factor === undefined)) return undefined;
    total += sign * (factors as number[]).reduce((a, b) => a * b, 1);
  }
  return total;
}

function unsetError(unset: SymbolicDim[], inputs: readonly ValueInfo[]): OrtbenchError {
  const where = (dim: SymbolicDim) => {
    const [name, axis] = splitUse(dim.uses[0] as string);
    const input = inputs.find((i) => i.name === name) as ValueInfo;
    return `${dim.key} (axis ${axis} of ${name} ${formatDims(input.dims)}${dim.uses.length > 1 ? ` and ${dim.uses.length - 1} more` : ''})`;
  };
  const example = unset.filter((d) => d.role !== 'expression').map((d) => `--dim ${d.key}=N`).join(' ');
  const first = inputs.find((i) => i.name === splitUse(unset[0]!.uses[0]!)[0])!;
  const shape = `--shape ${first.name}=${first.dims.map((d) => (typeof d === 'number' ? d : 'N')).join('x')}`;
  const what = unset.length === 1 ? 'a symbolic dimension' : `${unset.length} symbolic dimensions`;
  return new OrtbenchError(
    ErrorCode.INPUT_UNSET,
    `the model has ${what} that ortbench cannot infer: ${unset.map(where).join(', ')}; set ${unset.length === 1 ? 'it' : 'each'} with ${example || '--dim'}, or a whole input with ${shape}`,
  );
}

function splitUse(use: string): [string, string] {
  const at = use.lastIndexOf(':');
  return [use.slice(0, at), use.slice(at + 1)];
}

/** `input=1x3x640x640` (rank 0: `input=scalar`) as a name and a shape. */
export function shapeAssignment(value: string, label = '--shape'): { name: string; shapes: number[][] } {
  const match = /^([^=]+)=(.+)$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError(`${label}: expected input=AxBxC (e.g. images=1x3x640x640), got "${value}"`);
  const shapes = match[2]!.split(',').map((text) => {
    const trimmed = text.trim();
    if (trimmed === 'scalar') return [];
    const sizes = trimmed.split(/x/i).map(Number);
    if (sizes.some((s) => !Number.isInteger(s) || s < 1)) throw new InvalidArgumentError(`${label} ${match[1]}: "${trimmed}" is not a shape like 1x3x640x640`);
    return sizes;
  });
  return { name: match[1]!.trim(), shapes };
}

/** `name=320,640` as a dim name (or `input:axis`) and its values. */
export function dimListAssignment(value: string, label = '--dim'): { name: string; values: number[] } {
  const match = /^([^=]+)=(.+)$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError(`${label}: expected name=value or name=v1,v2 (e.g. height=320,640), got "${value}"`);
  const values = match[2]!.split(',').map((text) => {
    const size = Number(text.trim());
    if (!Number.isInteger(size) || size < 1) throw new InvalidArgumentError(`${label} ${match[1]}: "${text.trim()}" is not a positive integer`);
    return size;
  });
  if (new Set(values).size !== values.length) throw new InvalidArgumentError(`${label} ${match[1]}: the list has duplicates`);
  return { name: match[1]!.trim(), values };
}

/** `name=16000` or `name=true` as an input name and the value every element takes. */
export function inputValueAssignment(value: string, label = '--input'): { name: string; value: number | boolean } {
  const match = /^([^=]+)=(.+)$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError(`${label}: expected input=value (e.g. sr=16000), got "${value}"`);
  const text = match[2]!.trim();
  if (text === 'true' || text === 'false') return { name: match[1]!.trim(), value: text === 'true' };
  const number = Number(text);
  if (text === '' || !Number.isFinite(number)) throw new InvalidArgumentError(`${label} ${match[1]}: "${text}" is not a number, true or false`);
  return { name: match[1]!.trim(), value: number };
}
