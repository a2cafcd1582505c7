/**
 * Model router: `proxy.custom_mapping` as a table (exact names or `*` wildcards → upstream model),
 * with add/edit/delete saved at once, and a box that asks the gateway which rule maps a name.
 */
import { type FormEvent, useState } from 'react';
import { api } from '../../api/api-client.js';
import type { MappingTestResult } from '../../api/types.js';
import { useConfirm } from '../../hooks/confirm-dialog.js';
import { useGatewayData } from '../../hooks/gateway-data.js';
import { useNotify } from '../../hooks/notices.js';
import { useAction } from '../../hooks/use-action.js';
import {
  applyMappingEdit,
  type MappingEdit,
  type ModelMapping,
  mappingRows,
  removeMapping,
  validateMappingEdit,
} from '../../lib/mapping-table.js';

export function ModelRouterCard() {
  const { config } = useGatewayData();
  const { run } = useAction();
  const confirm = useConfirm();
  const [editing, setEditing] = useState<string | null>(null);
  if (!config) return null;
  const mapping: ModelMapping = config.proxy.custom_mapping;
  const save = (next: ModelMapping, message: string) =>
    run(() => api.updateConfig({ proxy: { custom_mapping: next } }), message);
  const remove = async (from: string) => {
    const yes = await confirm({
      title: 'Delete mapping',
      message: <p>Stop mapping {from}? Requests for it go upstream under their own name again.</p>,
      confirmLabel: 'Delete',
      danger: true,
    });
    if (yes) await save(removeMapping(mapping, from), `Removed the rule for ${from}`);
  };
  return (
    <section className="card" aria-labelledby="router-title">
      <h2 id="router-title">Model router</h2>
      <p className="hint">
        Rename models on the way upstream. Exact names win over wildcards; among wildcards the most specific
        wins. Several models separated by commas form a fallback chain: the next is used only when no account
        can serve the one before. Every response says what was sent in <code>X-Mapped-Model</code>.
      </p>
      <table className="mapping-table">
        <thead>
          <tr>
            <th scope="col">Client asks for</th>
            <th scope="col">Sent upstream as</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {mappingRows(mapping).map((row) =>
            editing === row.from ? (
              <MappingEditorRow
                key={row.from}
                mapping={mapping}
                initial={row}
                onSave={async (edit) => {
                  if (await save(applyMappingEdit(mapping, edit), `Saved the rule for ${edit.from}`))
                    setEditing(null);
                }}
                onCancel={() => setEditing(null)}
              />
            ) : (
              <tr key={row.from} data-mapping={row.from}>
                <td>
                  <code>{row.from}</code>
                </td>
                <td>
                  <code>{row.to}</code>
                </td>
                <td className="row-actions">
                  <button
                    type="button"
                    onClick={() => setEditing(row.from)}
                    aria-label={`Edit the rule for ${row.from}`}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    className="danger-text"
                    onClick={() => remove(row.from)}
                    aria-label={`Delete the rule for ${row.from}`}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ),
          )}
          <MappingEditorRow
            mapping={mapping}
            initial={{ from: '', to: '' }}
            onSave={(edit) => save(applyMappingEdit(mapping, edit), `Added a rule for ${edit.from}`)}
          />
        </tbody>
      </table>
      <MappingTester />
    </section>
  );
}

function MappingEditorRow(props: {
  mapping: ModelMapping;
  initial: { from: string; to: string };
  onSave(edit: MappingEdit): Promise<unknown>;
  onCancel?(): void;
}) {
  const { mapping, initial, onSave, onCancel } = props;
  const adding = onCancel === undefined;
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [problem, setProblem] = useState<string | null>(null);
  const edit: MappingEdit = { previousFrom: adding ? undefined : initial.from, from, to };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const invalid = validateMappingEdit(mapping, edit);
    setProblem(invalid);
    if (invalid) return;
    await onSave(edit);
    if (adding) {
      setFrom('');
      setTo('');
    }
  };
  const formId = adding ? 'mapping-add' : `mapping-edit-${initial.from}`;
  return (
    <tr className="editor-row">
      <td>
        <form id={formId} onSubmit={submit} />
        <input
          form={formId}
          aria-label={adding ? 'New rule: model the client asks for' : 'Model the client asks for'}
          placeholder="gpt-4* or claude-sonnet-4"
          value={from}
          onChange={(event) => setFrom(event.target.value)}
        />
      </td>
      <td>
        <input
          form={formId}
          aria-label={adding ? 'New rule: model sent upstream' : 'Model sent upstream'}
          placeholder="gpt-4.1-mini, gemini-2.5-flash"
          value={to}
          onChange={(event) => setTo(event.target.value)}
        />
        {problem && (
          <p className="form-error small" role="alert">
            {problem}
          </p>
        )}
      </td>
      <td className="row-actions">
        <button
          type="submit"
          form={formId}
          className={adding ? undefined : 'primary'}
          aria-label={adding ? undefined : `Save the rule for ${initial.from}`}
        >
          {adding ? 'Add rule' : 'Save'}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </td>
    </tr>
  );
}

function MappingTester() {
  const [model, setModel] = useState('');
  const [result, setResult] = useState<MappingTestResult | null>(null);
  const notify = useNotify();
  const test = async (event: FormEvent) => {
    event.preventDefault();
    if (!model.trim()) return;
    try {
      setResult(await api.testMapping(model.trim()));
    } catch (error) {
      notify.error(error);
    }
  };
  return (
    <form className="mapping-tester" onSubmit={test}>
      <label htmlFor="mapping-test">Test a model name</label>
      <div className="setting-control wrap">
        <input
          id="mapping-test"
          value={model}
          onChange={(event) => setModel(event.target.value)}
          placeholder="gpt-4o"
        />
        <button type="submit">Test</button>
      </div>
      {result && (
        <p className="mapping-result" role="status" data-testid="mapping-result">
          <code>{result.model}</code> → <code>{result.models.join(' → ')}</code>{' '}
          <span className="muted">
            {result.rule === null ? '(no rule matches: sent as is)' : `(${result.kind} rule ${result.rule})`}
          </span>
        </p>
      )}
    </form>
  );
}
