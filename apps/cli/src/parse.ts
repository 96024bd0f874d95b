import { InvalidArgumentError } from '@ortbench/core';

/** `--flag 8` as a positive integer, or a usage error naming the flag and the value. */
export function positiveInteger(value: string, flag: string): number {
  const number = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(number) || number < 1) {
    throw new InvalidArgumentError(`${flag}: expected a positive integer, got "${value}"`);
  }
  return number;
}

/** `--batch 1,2,4` as positive integers, without duplicates. */
export function positiveIntegerList(value: string, flag: string): number[] {
  const items = value.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) throw new InvalidArgumentError(`${flag}: empty item in "${value}"`);
  const numbers = items.map((item) => positiveInteger(item, flag));
  if (new Set(numbers).size !== numbers.length) throw new InvalidArgumentError(`${flag}: duplicate value in "${value}"`);
  return numbers;
}

/** `--batch dynamic` or a positive integer. */
export function batchOrDynamic(value: string, flag: string): number | 'dynamic' {
  return value === 'dynamic' ? 'dynamic' : positiveInteger(value, flag);
}

/** `--dim name=value`, repeatable, collected into a record. */
export function dimAssignment(value: string, previous: Record<string, number> = {}): Record<string, number> {
  const match = /^([^=]+)=(.+)$/.exec(value);
  if (!match) throw new InvalidArgumentError(`--dim: expected name=value, got "${value}"`);
  return { ...previous, [match[1]!.trim()]: positiveInteger(match[2]!, `--dim ${match[1]}`) };
}

/** `--rtol 1e-3`: a finite number ≥ 0. */
export function nonNegativeNumber(value: string, flag: string): number {
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0) throw new InvalidArgumentError(`${flag}: expected a number ≥ 0, got "${value}"`);
  return number;
}

/** `--runner node-cpu,web-wasm`: names, checked later against the registry. */
export function runnerList(value: string): string[] {
  const names = value.split(',').map((name) => name.trim());
  if (names.some((name) => name === '')) throw new InvalidArgumentError(`--runner: empty name in "${value}"`);
  return names;
}
