/** What every command gets from the program: the global --plugin modules and a way to set the exit code. */
export interface CliContext {
  /** The --plugin modules given before the command (read when the command runs). */
  plugins(): string[];
  setExitCode(code: number): void;
}
