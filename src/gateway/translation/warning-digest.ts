import type { Warning } from '../../core/model/index.js';
import { truncateForLog } from '../../observability/bound-log-value.js';

/** Most warning lines logged for one request; the rest are counted in one line per batch. */
export const MAX_WARNING_LINES_PER_REQUEST = 20;
/** Longest field path or message in a warning line. */
const MAX_WARNING_TEXT = 300;

/** One log line: a kind of warning, where it first occurred, and how often in its batch. */
export interface WarningLine {
  warning: Warning;
  count: number;
}

export interface WarningDigestBatch {
  lines: WarningLine[];
  /** Warnings in the batch beyond the per-request line cap (not logged one by one). */
  omitted: number;
}

/**
 * Turns one request's translation warnings into a bounded number of log lines: warnings of the
 * same kind (type, message and field with the indices taken out: `messages[*].content[*]`) become
 * one line with a count, a kind logged once for the request is not logged again (each attempt
 * converts the request anew and repeats them), at most `MAX_WARNING_LINES_PER_REQUEST` lines are
 * logged per request, and field paths and messages are cut to a few hundred characters.
 */
export class WarningDigest {
  private readonly logged = new Set<string>();

  digest(warnings: readonly Warning[]): WarningDigestBatch {
    const kinds = new Map<string, WarningLine>();
    for (const warning of warnings) {
      const key = `${warning.type}\u0000${warning.message}\u0000${warning.field.replace(/\[\d+\]/g, '[*]')}`;
      if (this.logged.has(key)) continue;
      const line = kinds.get(key);
      if (line) line.count++;
      else kinds.set(key, { warning: bounded(warning), count: 1 });
    }
    const lines: WarningLine[] = [];
    let omitted = 0;
    for (const [key, line] of kinds) {
      if (this.logged.size >= MAX_WARNING_LINES_PER_REQUEST) {
        omitted += line.count;
        continue;
      }
      this.logged.add(key);
      lines.push(line);
    }
    return { lines, omitted };
  }
}

function bounded(warning: Warning): Warning {
  return {
    type: warning.type,
    field: truncateForLog(warning.field, MAX_WARNING_TEXT),
    message: truncateForLog(warning.message, MAX_WARNING_TEXT),
  };
}
