/**
 * The one CLI style of every entry point: commander programs with `--help`,
 * kebab-case flags, clear one-line errors on stderr and a non-zero exit code
 * on failure.
 *
 * @module
 */
import { Command, InvalidArgumentError } from "commander";

/** Creates a command with the project's conventions (name, description, help). */
export function createCommand(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeErr: (s) => Deno.stderr.writeSync(new TextEncoder().encode(s)),
    });
}

/** Parses a positive integer option value (for commander's argParser). */
export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) {
    throw new InvalidArgumentError(
      `expected a positive integer, got "${value}"`,
    );
  }
  return n;
}

/** Parses a non-negative integer option value (seeds, counts that may be 0). */
export function parseNonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new InvalidArgumentError(
      `expected a non-negative integer, got "${value}"`,
    );
  }
  return n;
}

/** Parses a finite number option value. */
export function parseNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) {
    throw new InvalidArgumentError(`expected a number, got "${value}"`);
  }
  return n;
}

/** Parses a finite number > 0 option value (durations, timeouts). */
export function parsePositiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError(`expected a number > 0, got "${value}"`);
  }
  return n;
}

/** Parses a comma-separated list option value (`a,b,c`). */
export function parseList(value: string): string[] {
  return value.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
}

/**
 * Runs a CLI program: parses `args`, and turns any thrown error into a clear
 * `error: …` line on stderr and exit code 1.
 */
export async function runCli(program: Command, args: string[]): Promise<void> {
  program.exitOverride();
  try {
    await program.parseAsync(args, { from: "user" });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "commander.helpDisplayed" || code === "commander.version") {
      Deno.exit(0);
    }
    if (typeof code === "string" && code.startsWith("commander.")) {
      Deno.exit((err as { exitCode?: number }).exitCode ?? 1);
    }
    const message = err instanceof Error ? err.message : String(err);
    console.error(`error: ${message}`);
    if (Deno.env.get("SER_DEBUG") && err instanceof Error) {
      console.error(err.stack);
    }
    Deno.exit(1);
  }
}
