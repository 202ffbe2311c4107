import { type ReactNode, useEffect, useRef } from 'react';
import '../ai/ai.css';

/**
 * A modal <dialog> (focus trap, Escape and the backdrop for free), open while mounted. Used by the
 * settings and the bulk AI dialogs.
 */
export function AiDialog({
  title,
  onClose,
  testId,
  children,
}: {
  title: string;
  onClose: () => void;
  testId?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const d = ref.current!;
    if (!d.open) d.showModal();
    const onCancel = () => close.current();
    d.addEventListener('close', onCancel);
    return () => {
      d.removeEventListener('close', onCancel);
      if (d.open) d.close();
    };
  }, []);
  return (
    <dialog ref={ref} className="ai-dialog" aria-label={title} data-testid={testId}>
      <header className="ai-dialog-head">
        <h2>{title}</h2>
        <button
          type="button"
          className="icon"
          aria-label="Close"
          data-testid="dialog-close"
          onClick={onClose}
        >
          ×
        </button>
      </header>
      <div className="ai-dialog-body">{children}</div>
    </dialog>
  );
}
