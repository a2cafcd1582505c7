/** Shows a key's secret once, right after it was created or rotated: copy it now, it is never shown again. */
import type { IssuedKeyView } from '../../api/types.js';
import { CopyButton } from '../../components/copy-button.js';
import { Modal } from '../../components/modal.js';

export function IssuedKeyDialog({ issued, onClose }: { issued: IssuedKeyView | null; onClose(): void }) {
  return (
    <Modal open={issued !== null} title="Copy the new key now" onClose={onClose}>
      {issued && (
        <div className="issued-key">
          <p>
            The secret of <strong>{issued.key.name}</strong>. This is the only time it is shown: the gateway
            keeps only its SHA-256. Hand it to the key&rsquo;s holder now.
          </p>
          <label htmlFor="issued-secret">Secret</label>
          <div className="secret-row">
            <input
              id="issued-secret"
              className="mono"
              readOnly
              value={issued.secret}
              data-testid="issued-secret"
            />
            <CopyButton text={issued.secret} what="the new key" />
          </div>
          <p className="hint">
            Clients send it like any API key: <code>Authorization: Bearer</code>, <code>x-api-key</code> or{' '}
            <code>x-goog-api-key</code>.
          </p>
          <div className="dialog-actions">
            <button type="button" className="primary" onClick={onClose}>
              I have copied it
            </button>
          </div>
        </div>
      )}
    </Modal>
  );
}
