/**
 * Rewrites the top-level `"model"` string of a JSON body in place, leaving every other byte as the
 * client sent it (number formatting, key order, escapes, whitespace), so pass-through requests
 * reach the upstream exactly as sent except for the model. Returns null when the body has no
 * top-level string `model` (the caller then falls back to re-serializing).
 */
export function replaceModelInBody(raw: Buffer, model: string): Buffer | null {
  const text = raw.toString('utf8');
  const span = findTopLevelStringValue(text, 'model');
  if (!span) return null;
  const replaced = text.slice(0, span.start) + JSON.stringify(model) + text.slice(span.end);
  return Buffer.from(replaced, 'utf8');
}

interface Span {
  /** Index of the opening quote of the value. */
  start: number;
  /** Index just past the closing quote. */
  end: number;
}

/** End index (past the closing quote) of the JSON string starting at `start`. */
function skipString(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length) {
    const char = text[index];
    if (char === '\\') index += 2;
    else if (char === '"') return index + 1;
    else index++;
  }
  return -1;
}

function skipWhitespace(text: string, start: number): number {
  let index = start;
  while (index < text.length && ' \t\r\n'.includes(text[index] ?? '')) index++;
  return index;
}

/** Finds the value span of `key` in the outermost object when that value is a string. */
export function findTopLevelStringValue(text: string, key: string): Span | null {
  let depth = 0;
  let index = 0;
  // At depth 1, a string is a key when the previous structural character was `{` or `,`.
  let expectKey = false;
  while (index < text.length) {
    const char = text[index];
    if (char === '"') {
      const end = skipString(text, index);
      if (end < 0) return null;
      if (depth === 1 && expectKey) {
        const name = JSON.parse(text.slice(index, end)) as string;
        const colon = skipWhitespace(text, end);
        if (text[colon] !== ':') return null;
        const valueStart = skipWhitespace(text, colon + 1);
        if (name === key) {
          if (text[valueStart] !== '"') return null;
          const valueEnd = skipString(text, valueStart);
          return valueEnd < 0 ? null : { start: valueStart, end: valueEnd };
        }
        expectKey = false;
        index = valueStart;
        continue;
      }
      index = end;
      continue;
    }
    if (char === '{' || char === '[') {
      depth++;
      expectKey = char === '{' && depth === 1;
    } else if (char === '}' || char === ']') {
      depth--;
    } else if (char === ',' && depth === 1) {
      expectKey = true;
    }
    index++;
  }
  return null;
}
