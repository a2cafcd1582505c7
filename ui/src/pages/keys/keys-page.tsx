/** Keys: the client keys handed to people and jobs — their limits, today's use, rotate and revoke. */
import { useState } from 'react';
import type { IssuedKeyView, PublicClientKey } from '../../api/types.js';
import { Modal } from '../../components/modal.js';
import { useGatewayData } from '../../hooks/gateway-data.js';
import { IssuedKeyDialog } from './issued-key-dialog.js';
import { KeyForm } from './key-form.js';
import { KeyRow } from './key-row.js';
import { useKeyList } from './use-key-list.js';

export function KeysPage() {
  const { accounts } = useGatewayData();
  const list = useKeyList();
  const [editing, setEditing] = useState<PublicClientKey | 'new' | null>(null);
  const [issued, setIssued] = useState<IssuedKeyView | null>(null);
  const [showRevoked, setShowRevoked] = useState(false);
  const keys = list.keys ?? [];
  const shown = showRevoked ? keys : keys.filter((key) => key.status !== 'revoked');
  const revokedCount = keys.length - keys.filter((key) => key.status !== 'revoked').length;
  const showIssued = (next: IssuedKeyView) => {
    setEditing(null);
    setIssued(next);
    void list.reload();
  };
  return (
    <section aria-labelledby="keys-title">
      <div className="page-header">
        <h1 id="keys-title">Keys</h1>
        <div className="page-actions">
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            Create key
          </button>
        </div>
      </div>
      <p className="hint page-intro">
        One key per person or job, beside the owner&rsquo;s API key: each with its own models, accounts and
        limits, counted in Usage and revocable on its own. Only a hash of each key is kept.
      </p>
      {list.error && (
        <p className="banner banner-error" role="alert">
          Cannot load the keys: {list.error}
        </p>
      )}
      <div className="toolbar">
        <label className="check field-check">
          <input
            type="checkbox"
            checked={showRevoked}
            onChange={(event) => setShowRevoked(event.target.checked)}
          />
          Show revoked keys ({revokedCount})
        </label>
      </div>
      <div className="table-wrap">
        <table className="keys-table responsive">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Status</th>
              <th scope="col">Limits</th>
              <th scope="col">Today</th>
              <th scope="col">Last used</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((key) => (
              <KeyRow
                key={key.id}
                clientKey={key}
                accounts={accounts}
                onEdit={() => setEditing(key)}
                onRotated={showIssued}
                onChanged={() => void list.reload()}
              />
            ))}
          </tbody>
        </table>
        {list.keys !== null && shown.length === 0 && (
          <p className="empty">
            {keys.length === 0 ? 'No client keys yet. Create one for each person or job.' : 'No active keys.'}
          </p>
        )}
      </div>
      <Modal
        open={editing !== null}
        title={editing === 'new' ? 'Create key' : 'Edit key'}
        onClose={() => setEditing(null)}
      >
        {editing !== null && (
          <KeyForm
            keyToEdit={editing === 'new' ? null : editing}
            accounts={accounts}
            onCreated={showIssued}
            onDone={() => {
              setEditing(null);
              void list.reload();
            }}
          />
        )}
      </Modal>
      <IssuedKeyDialog issued={issued} onClose={() => setIssued(null)} />
    </section>
  );
}
