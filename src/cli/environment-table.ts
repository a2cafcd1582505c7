import { type ConfigVariable, configVariables, dottedPath } from '../config/config-variables.js';
import { describeExpected } from '../config/environment-overrides.js';
import { PROCESS_VARIABLES } from './process-variables.js';

/** The README's environment variable tables sit between these two lines. */
export const TABLE_START = '<!-- environment-variables:start (npm run docs:env writes this table) -->';
export const TABLE_END = '<!-- environment-variables:end -->';

/**
 * The Markdown of the README's environment variable tables: every setting of the config schema
 * (variable, setting, value), then the other variables the CLI reads. A test keeps the README equal
 * to it; `npm run docs:env` rewrites the README with it.
 */
export function environmentTable(variables: readonly ConfigVariable[] = configVariables()): string {
  const settings = markdownTable(
    ['variable', 'setting', 'value'],
    variables.map((variable) => [
      `\`${variable.name}\``,
      `\`${dottedPath(variable.path)}\``,
      describeExpected(variable),
    ]),
  );
  const others = markdownTable(
    ['variable', 'what'],
    PROCESS_VARIABLES.map((variable) => [`\`${variable.name}\``, variable.meaning]),
  );
  return `${settings}\n\nRead by the command itself, not settings of \`gui_config.json\`:\n\n${others}`;
}

function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  const rule = `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
