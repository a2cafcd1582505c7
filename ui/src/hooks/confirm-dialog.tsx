/**
 * `useConfirm()` asks a yes/no question in a modal dialog (the native <dialog>: focus moves into it,
 * Escape cancels) and resolves with the answer.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useRef, useState } from 'react';

export interface ConfirmRequest {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  /** Styles the confirm button as destructive. */
  danger?: boolean;
}

type Confirm = (request: ConfirmRequest) => Promise<boolean>;

const ConfirmContext = createContext<Confirm>(async () => false);

interface Pending extends ConfirmRequest {
  resolve(answer: boolean): void;
}

export function ConfirmProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<Pending | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const confirm = useCallback<Confirm>(
    (request) => new Promise<boolean>((resolve) => setPending({ ...request, resolve })),
    [],
  );
  useEffect(() => {
    if (pending && dialog.current && !dialog.current.open) dialog.current.showModal();
  }, [pending]);
  const answer = (value: boolean) => {
    pending?.resolve(value);
    setPending(null);
    dialog.current?.close();
  };
  return (
    <ConfirmContext.Provider value={confirm}>
      {children}
      <dialog
        ref={dialog}
        className="modal confirm"
        aria-labelledby="confirm-title"
        onCancel={(event) => {
          event.preventDefault();
          answer(false);
        }}
      >
        {pending && (
          <form
            method="dialog"
            onSubmit={(event) => {
              event.preventDefault();
              answer(true);
            }}
          >
            <h2 id="confirm-title">{pending.title}</h2>
            <div className="confirm-message">{pending.message}</div>
            <div className="dialog-actions">
              <button type="button" onClick={() => answer(false)}>
                Cancel
              </button>
              <button type="submit" className={pending.danger ? 'danger' : 'primary'}>
                {pending.confirmLabel}
              </button>
            </div>
          </form>
        )}
      </dialog>
    </ConfirmContext.Provider>
  );
}

export function useConfirm(): Confirm {
  return useContext(ConfirmContext);
}
