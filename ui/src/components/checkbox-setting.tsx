/** A checkbox that changes a server setting at once (shown optimistically while it is saved). */
import type { ReactNode } from 'react';
import { useOptimisticChange } from '../hooks/use-optimistic-change.js';

export function CheckboxSetting(props: {
  checked: boolean;
  onChange(checked: boolean): Promise<unknown>;
  children: ReactNode;
  disabled?: boolean;
}) {
  const { shown, change } = useOptimisticChange(props.checked, props.onChange);
  return (
    <label className="check">
      <input
        type="checkbox"
        checked={shown}
        disabled={props.disabled}
        onChange={(event) => change(event.target.checked)}
      />
      {props.children}
    </label>
  );
}
