/**
 * A control bound to server state that shows the user's choice at once, while the change is on its
 * way, and then whatever the server holds (the choice, or the old value when it was refused).
 */
import { useOptimistic, useTransition } from 'react';

export function useOptimisticChange<T>(
  value: T,
  apply: (next: T) => Promise<unknown>,
): { shown: T; change(next: T): void; pending: boolean } {
  const [shown, setShown] = useOptimistic(value);
  const [pending, startTransition] = useTransition();
  const change = (next: T) =>
    startTransition(async () => {
      setShown(next);
      await apply(next);
    });
  return { shown, change, pending };
}
