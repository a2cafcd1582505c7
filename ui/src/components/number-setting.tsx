/** A number input that saves on Enter or the Save button, not on every keystroke. */
import { type FormEvent, useEffect, useState } from 'react';

export function NumberSetting(props: {
  id: string;
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  unit?: string;
  hint?: string;
  disabled?: boolean;
  onSave(value: number): Promise<unknown>;
}) {
  const { id, label, value, min, max, step = 1, unit, hint, disabled, onSave } = props;
  const [draft, setDraft] = useState(String(value));
  useEffect(() => setDraft(String(value)), [value]);
  const parsed = Number(draft);
  const valid = draft.trim() !== '' && Number.isInteger(parsed) && parsed >= min && parsed <= max;
  const dirty = valid && parsed !== value;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (dirty) void onSave(parsed);
  };
  return (
    <form className="setting-row" onSubmit={submit}>
      <label htmlFor={id}>{label}</label>
      <div className="setting-control">
        <input
          id={id}
          type="number"
          inputMode="numeric"
          min={min}
          max={max}
          step={step}
          value={draft}
          disabled={disabled}
          aria-invalid={!valid}
          aria-describedby={hint ? `${id}-hint` : undefined}
          onChange={(event) => setDraft(event.target.value)}
        />
        {unit && <span className="muted">{unit}</span>}
        <button type="submit" disabled={!dirty || disabled}>
          Save
        </button>
      </div>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
          {!valid && ` Allowed: ${min}–${max}.`}
        </p>
      )}
    </form>
  );
}
