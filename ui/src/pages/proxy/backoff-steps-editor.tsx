/** Circuit breaker: on/off and the lock seconds per consecutive quota failure, saved together. */
import { useEffect, useState } from 'react';
import { api } from '../../api/api-client.js';
import { CheckboxSetting } from '../../components/checkbox-setting.js';
import { useGatewayData } from '../../hooks/gateway-data.js';
import { useAction } from '../../hooks/use-action.js';
import {
  addBackoffStep,
  removeBackoffStep,
  setBackoffStep,
  validateBackoffSteps,
} from '../../lib/backoff-steps.js';
import { formatCountdown } from '../../lib/format.js';

export function BackoffStepsEditor() {
  const { config } = useGatewayData();
  const { run, busy } = useAction();
  const saved = config?.proxy.circuit_breaker;
  const [steps, setSteps] = useState<number[]>(saved ? [...saved.backoff_steps] : []);
  const savedText = saved?.backoff_steps.join(',') ?? '';
  useEffect(() => {
    if (savedText) setSteps(savedText.split(',').map(Number));
  }, [savedText]);
  if (!saved) return null;
  const problem = validateBackoffSteps(steps);
  const dirty = steps.join(',') !== savedText;
  const save = () =>
    run(
      () => api.updateConfig({ proxy: { circuit_breaker: { backoff_steps: steps } } }),
      'Backoff steps saved',
    );
  return (
    <fieldset className="setting-row backoff">
      <legend>Circuit breaker</legend>
      <CheckboxSetting
        checked={saved.enabled}
        onChange={(checked) =>
          run(
            () => api.updateConfig({ proxy: { circuit_breaker: { enabled: checked } } }),
            checked ? 'Circuit breaker on' : 'Circuit breaker off',
          )
        }
      >
        Lock accounts after quota exhaustion, for:
      </CheckboxSetting>
      <ol className="steps">
        {steps.map((seconds, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a step has no identity but its position
          <li key={index}>
            <label className="visually-hidden" htmlFor={`backoff-${index}`}>
              Failure {index + 1}, seconds
            </label>
            <input
              id={`backoff-${index}`}
              type="number"
              min={1}
              value={Number.isNaN(seconds) ? '' : seconds}
              onChange={(event) =>
                setSteps(setBackoffStep({ steps, index, seconds: event.target.valueAsNumber }))
              }
            />
            <span className="muted small">{Number.isFinite(seconds) ? formatCountdown(seconds) : ''}</span>
            <button
              type="button"
              className="icon-button"
              aria-label={`Remove step ${index + 1}`}
              disabled={steps.length <= 1}
              onClick={() => setSteps(removeBackoffStep(steps, index))}
            >
              ×
            </button>
          </li>
        ))}
      </ol>
      <div className="setting-control wrap">
        <button type="button" onClick={() => setSteps(addBackoffStep(steps))}>
          Add step
        </button>
        <button
          type="button"
          className="primary"
          disabled={!dirty || problem !== null || busy}
          onClick={save}
        >
          Save steps
        </button>
      </div>
      <p className="hint">
        {problem ??
          '1st, 2nd, 3rd… consecutive quota failure; the last step repeats. A delay the upstream states wins.'}
      </p>
    </fieldset>
  );
}
