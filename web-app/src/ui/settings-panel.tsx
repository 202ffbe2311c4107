import { lazy, Suspense, useState } from 'react';
import { AiDialog } from './ai-dialog';

// The account client, the AI client and zod (through the contract's schemas) load only when
// settings are first opened, keeping them out of the main bundle.
const SettingsBody = lazy(() => import('./settings-body').then((m) => ({ default: m.SettingsBody })));

/** Server, account and AI provider settings (no frame of its own: embed it in a page or a dialog). */
export function SettingsPanel() {
  return (
    <Suspense fallback={<div className="muted">Loading…</div>}>
      <SettingsBody />
    </Suspense>
  );
}

/** The settings in a modal dialog, open while mounted. */
export function SettingsDialog({ onClose }: { onClose: () => void }) {
  return (
    <AiDialog title="Settings" onClose={onClose} testId="settings-dialog">
      <SettingsPanel />
    </AiDialog>
  );
}

/** A header button that opens the settings dialog. */
export function SettingsButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        data-testid="settings-open"
        title="Server, account and AI provider"
      >
        Settings
      </button>
      {open && <SettingsDialog onClose={() => setOpen(false)} />}
    </>
  );
}
