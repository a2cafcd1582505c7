/**
 * What a converter could not carry over exactly. Converters never throw on lossy input: they drop
 * or approximate what the target cannot express and say so here, so the gateway can log it.
 */
export interface Warning {
  /**
   * - `unsupported`: the value was dropped because the target has no equivalent;
   * - `lossy`: the value was carried over approximately (rounded, merged, renamed);
   * - `other`: anything else worth telling (for example an unknown part type that was skipped).
   */
  type: 'unsupported' | 'lossy' | 'other';
  /** Where the value was, as a path in the source (`messages[2].content[0]`, `tool_choice`). */
  field: string;
  /** A short human-readable explanation, safe to log (never contains message text). */
  message: string;
}

/** The result of a conversion: the converted value and what was lost on the way. */
export interface Converted<T> {
  value: T;
  warnings: Warning[];
}
