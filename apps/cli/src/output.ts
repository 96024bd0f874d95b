/** A result on stdout. */
export function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** A result on stdout as JSON. */
export function printJson(value: unknown): void {
  print(JSON.stringify(value, null, 2));
}

/** A warning on stderr, one line. */
export function warn(message: string): void {
  process.stderr.write(`warning: ${message}\n`);
}
