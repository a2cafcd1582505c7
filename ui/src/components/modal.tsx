/** A modal dialog (native <dialog>: focus stays inside, Escape closes) used for forms and the log drawer. */
import { type ReactNode, useEffect, useRef } from 'react';

export function Modal(props: {
  open: boolean;
  title: string;
  onClose(): void;
  children: ReactNode;
  /** `drawer` slides in from the right edge instead of centring. */
  variant?: 'dialog' | 'drawer';
}) {
  const { open, title, onClose, children, variant = 'dialog' } = props;
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  const titleId = `modal-title-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <dialog
      ref={dialog}
      className={variant === 'drawer' ? 'modal drawer' : 'modal'}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      {open && (
        <>
          <div className="modal-header">
            <h2 id={titleId}>{title}</h2>
            <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
              ×
            </button>
          </div>
          {children}
        </>
      )}
    </dialog>
  );
}
