/** Reading column values that the two store backends return differently, shared by every row decoder. */

/** The value of a JSON text column, or undefined when the text is not JSON (the row's schema check then names the field). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A nullable integer column as a number: PostgreSQL drivers return bigint columns as strings; SQLite returns numbers. */
export function nullableNumber(value: number | null): number | null {
  return value === null ? null : Number(value);
}
