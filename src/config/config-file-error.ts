import { SwitchyardError } from '../core/errors.js';
import type { ConfigIssue } from './schema.js';

/**
 * The config file cannot be used: unreadable, not JSON, or invalid against the schema. The message
 * names the file and, for an invalid file, every problem path on its own line, so the CLI can print
 * it as it is and exit non-zero at start-up.
 */
export class ConfigFileError extends SwitchyardError {
  /** The config file's path. */
  readonly filePath: string;
  /** Each schema or syntax problem; empty when the file could not be read or written at all. */
  readonly issues: readonly ConfigIssue[];

  constructor(options: {
    filePath: string;
    message: string;
    issues?: readonly ConfigIssue[];
    cause?: unknown;
  }) {
    const issues = options.issues ?? [];
    super('config_error', options.message, {
      details: { path: options.filePath, issues: issues.map((issue) => ({ ...issue })) },
      cause: options.cause,
    });
    this.name = 'ConfigFileError';
    this.filePath = options.filePath;
    this.issues = issues;
  }

  /** The file parsed but is not a valid config (or is not JSON). */
  static invalid(filePath: string, issues: readonly ConfigIssue[]): ConfigFileError {
    return new ConfigFileError({ filePath, issues, message: describeInvalidFile(filePath, issues) });
  }

  /** Reading, creating or writing the file failed; the OS error (code and path) is kept in the message. */
  static io(options: {
    filePath: string;
    action: 'read' | 'create' | 'write';
    error: unknown;
  }): ConfigFileError {
    const reason = options.error instanceof Error ? options.error.message : String(options.error);
    return new ConfigFileError({
      filePath: options.filePath,
      message: `Cannot ${options.action} config file ${options.filePath}: ${reason}`,
      cause: options.error,
    });
  }
}

/** `Invalid config file <path>:` followed by one indented `path: message` line per issue. */
export function describeInvalidFile(filePath: string, issues: readonly ConfigIssue[]): string {
  const lines = issues.map((issue) => `  ${issue.path}: ${issue.message}`);
  return [`Invalid config file ${filePath}:`, ...lines].join('\n');
}
