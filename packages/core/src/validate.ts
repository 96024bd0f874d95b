import { InvalidArgumentError } from './errors';
import { parseBytes } from './memory';

// One set of validators for values that arrive as text or JSON (command-line flags, config
// files, options objects): each names the option and the value in a one-line usage error.

/** A positive integer, from a number or text such as "8". */
export function positiveInteger(value: unknown, label: string): number {
  const number = Number(value);
  if (!/^\s*\d+\s*$/.test(String(value)) || !Number.isSafeInteger(number) || number < 1) {
    throw new InvalidArgumentError(`${label}: expected a positive integer, got "${String(value)}"`);
  }
  return number;
}

/** Positive integers without duplicates, from an array or text such as "1,2,4". */
export function positiveIntegerList(value: unknown, label: string): number[] {
  const items = Array.isArray(value) ? value.map((item) => String(item).trim()) : String(value).split(',').map((item) => item.trim());
  if (items.length === 0 || items.some((item) => item === '')) throw new InvalidArgumentError(`${label}: empty item in "${String(value)}"`);
  const numbers = items.map((item) => positiveInteger(item, label));
  if (new Set(numbers).size !== numbers.length) throw new InvalidArgumentError(`${label}: duplicate value in "${String(value)}"`);
  return numbers;
}

/** "dynamic" or a positive integer. */
export function batchOrDynamic(value: unknown, label: string): number | 'dynamic' {
  return value === 'dynamic' ? 'dynamic' : positiveInteger(value, label);
}

/** A finite number ≥ 0. */
export function nonNegativeNumber(value: unknown, label: string): number {
  const number = Number(value);
  if (String(value).trim() === '' || !Number.isFinite(number) || number < 0) throw new InvalidArgumentError(`${label}: expected a number ≥ 0, got "${String(value)}"`);
  return number;
}

/** A finite number > 0. */
export function positiveNumber(value: unknown, label: string): number {
  const number = Number(value);
  if (String(value).trim() === '' || !Number.isFinite(number) || number <= 0) throw new InvalidArgumentError(`${label}: expected a positive number, got "${String(value)}"`);
  return number;
}

/** A memory size from `2GiB`, `512MiB`, `1.5GB` or a byte count (a number passes as bytes). */
export function byteSize(value: unknown, label: string): number {
  const bytes = typeof value === 'number' ? value : parseBytes(String(value));
  if (bytes === undefined || !Number.isFinite(bytes) || bytes <= 0) throw new InvalidArgumentError(`${label}: expected a memory size such as 2GiB, 512MiB or 1.5GB, got "${String(value)}"`);
  return bytes;
}

/** A fraction in (0, 1), from "2%", "0.5 %" or 0.02. */
export function fraction(value: unknown, label: string): number {
  const text = String(value).trim();
  const percent = /^([\d.]+)\s*%$/.exec(text);
  const number = percent ? Number(percent[1]) / 100 : Number(text);
  if (text === '' || !Number.isFinite(number) || number <= 0 || number >= 1) {
    throw new InvalidArgumentError(`${label}: expected a percentage such as 2% (or a fraction such as 0.02), got "${String(value)}"`);
  }
  return number;
}

/** A percentage ≥ 0, from "5%", "5" or "0.5 %", as a fraction. */
export function percentage(value: unknown, label: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(String(value));
  if (!match) throw new InvalidArgumentError(`${label}: expected a percentage such as 5%, got "${String(value)}"`);
  return Number(match[1]) / 100;
}

/** One of the allowed words. */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[], label: string): T {
  if (!allowed.includes(String(value) as T)) throw new InvalidArgumentError(`${label}: expected ${allowed.join(' or ')}, got "${String(value)}"`);
  return String(value) as T;
}

/** Non-empty text. */
export function nonEmptyText(value: unknown, label: string): string {
  if (typeof value !== 'string' || value === '') throw new InvalidArgumentError(`${label}: expected text, got ${JSON.stringify(value)}`);
  return value;
}

/** Comma-separated names such as "node-cpu,web-wasm" (checked later against a registry). */
export function nameList(value: unknown, label: string): string[] {
  const names = Array.isArray(value) ? value.map((name) => String(name).trim()) : String(value).split(',').map((name) => name.trim());
  if (names.length === 0 || names.some((name) => name === '')) throw new InvalidArgumentError(`${label}: empty name in "${String(value)}"`);
  return names;
}

/** `name=value`, repeatable, collected into a record of positive integers. */
export function dimAssignment(value: string, previous: Record<string, number> = {}, label = '--dim'): Record<string, number> {
  const match = /^([^=]+)=(.+)$/.exec(value);
  if (!match) throw new InvalidArgumentError(`${label}: expected name=value, got "${value}"`);
  return { ...previous, [match[1]!.trim()]: positiveInteger(match[2]!, `${label} ${match[1]}`) };
}

/**
 * The candidate closest to `name` by edit distance (case-insensitive), when it is close
 * enough to be a slip of the keyboard: for "did you mean …" in an error.
 */
export function nearestName(name: string, candidates: readonly string[]): string | undefined {
  const distance = (a: string, b: string) => {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      let diagonal = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const above = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
        diagonal = above;
      }
    }
    return row[b.length]!;
  };
  let best: { candidate: string; score: number } | undefined;
  for (const candidate of candidates) {
    const score = distance(name.toLowerCase(), candidate.toLowerCase());
    if (!best || score < best.score) best = { candidate, score };
  }
  return best && best.score <= Math.max(2, Math.floor(name.length / 3)) ? best.candidate : undefined;
}
