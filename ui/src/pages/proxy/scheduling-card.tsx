/**
 * Account Scheduling & Rotation: mode, max wait (Cache First), fixed account, session bindings,
 * circuit breaker backoff steps and rate-limit records. Each control changes the running gateway.
 */
import { api } from '../../api/api-client.js';
import type { SchedulingMode } from '../../api/types.js';
import { NumberSetting } from '../../components/number-setting.js';
import { useConfirm } from '../../hooks/confirm-dialog.js';
import { useGatewayData } from '../../hooks/gateway-data.js';
import { useAction } from '../../hooks/use-action.js';
import { useOptimisticChange } from '../../hooks/use-optimistic-change.js';
import { BackoffStepsEditor } from './backoff-steps-editor.js';
import { FixedAccountControl } from './fixed-account-control.js';

const MODES: { value: SchedulingMode; title: string; explanation: string }[] = [
  {
    value: 'CacheFirst',
    title: 'Cache First',
    explanation:
      'Keeps each conversation on its account and, when that account is briefly limited, waits for it (up to Max wait) instead of losing the prompt cache.',
  },
  {
    value: 'Balance',
    title: 'Balance',
    explanation:
      'Keeps each conversation on its account while it is usable; moves at once (re-binding the conversation) when it is limited.',
  },
  {
    value: 'PerformanceFirst',
    title: 'Performance First',
    explanation:
      'Ignores conversations: every request goes round robin to the next usable account, best tier first.',
  },
];

export function SchedulingCard() {
  const { config, status } = useGatewayData();
  const { run, busy } = useAction();
  const confirm = useConfirm();
  if (!config || !status) return null;
  const { mode, max_wait_seconds: maxWait } = config.proxy.scheduling;
  const clearBindings = async () => {
    const yes = await confirm({
      title: 'Clear session bindings',
      message: (
        <p>
          Forget which account each of the <strong>{status.session_bindings}</strong> conversations is bound
          to. Their next requests are scheduled afresh (and may lose their prompt cache).
        </p>
      ),
      confirmLabel: 'Clear bindings',
      danger: true,
    });
    if (yes)
      await run(
        () => api.clearBindings(),
        (cleared) => `Cleared ${cleared} session bindings`,
      );
  };
  const clearLocks = async () => {
    const yes = await confirm({
      title: 'Clear rate-limit records',
      message: <p>Unlock all {status.active_locks} locked accounts and models now.</p>,
      confirmLabel: 'Clear records',
      danger: true,
    });
    if (yes)
      await run(
        () => api.clearRateLimits(),
        (cleared) => `Cleared ${cleared} rate-limit records`,
      );
  };
  return (
    <section className="card" aria-labelledby="scheduling-title">
      <h2 id="scheduling-title">Account Scheduling &amp; Rotation</h2>
      <ModeChooser mode={mode} />
      <NumberSetting
        id="max-wait"
        label="Max wait"
        unit="s"
        value={maxWait}
        min={0}
        max={300}
        disabled={mode !== 'CacheFirst'}
        hint={
          mode === 'CacheFirst'
            ? 'Longest wait for a limited bound account before switching to another one.'
            : 'Used in Cache First mode only.'
        }
        onSave={(seconds) =>
          run(() => api.updateScheduling({ max_wait_seconds: seconds }), `Max wait ${seconds} s`)
        }
      />
      <FixedAccountControl />
      <div className="setting-row">
        <span className="label">Session bindings</span>
        <div className="setting-control wrap">
          <span data-testid="binding-count">
            {status.session_bindings} conversation{status.session_bindings === 1 ? '' : 's'} bound
          </span>
          <button type="button" onClick={clearBindings} disabled={busy}>
            Clear bindings…
          </button>
        </div>
      </div>
      <BackoffStepsEditor />
      <div className="setting-row">
        <span className="label">Rate-limit records</span>
        <div className="setting-control wrap">
          <span>
            {status.active_locks} active lock{status.active_locks === 1 ? '' : 's'}
          </span>
          <button type="button" onClick={clearLocks} disabled={busy}>
            Clear rate-limit records…
          </button>
        </div>
      </div>
    </section>
  );
}

function ModeChooser({ mode }: { mode: SchedulingMode }) {
  const { run } = useAction();
  const { shown, change } = useOptimisticChange(mode, (next: SchedulingMode) =>
    run(
      () => api.updateScheduling({ mode: next }),
      `Mode: ${MODES.find((option) => option.value === next)?.title}`,
    ),
  );
  return (
    <fieldset className="modes">
      <legend>Scheduling mode</legend>
      {MODES.map((option) => (
        <label key={option.value} className={`mode-option${option.value === shown ? ' checked' : ''}`}>
          <input
            type="radio"
            name="scheduling-mode"
            value={option.value}
            checked={option.value === shown}
            onChange={() => change(option.value)}
          />
          <span>
            <strong>{option.title}</strong>
            <span className="hint">{option.explanation}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
