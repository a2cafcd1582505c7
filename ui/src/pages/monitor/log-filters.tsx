/** Filters of the request log: errors only, protocol, account, model, text. */
import type { RequestLogRecord } from '../../api/types.js';
import { distinctValues, type LogFilter } from '../../lib/log-filter.js';

export function LogFilters(props: {
  records: readonly RequestLogRecord[];
  filter: LogFilter;
  onChange(filter: LogFilter): void;
}) {
  const { records, filter, onChange } = props;
  const models = [
    ...new Set([...distinctValues(records, 'client_model'), ...distinctValues(records, 'mapped_model')]),
  ].sort();
  const options = (values: string[], current: string) =>
    current && !values.includes(current) ? [current, ...values] : values;
  return (
    <div className="toolbar">
      <label className="field">
        <span>Search</span>
        <input
          type="search"
          value={filter.text}
          placeholder="id, model, account, session, error…"
          onChange={(event) => onChange({ ...filter, text: event.target.value })}
        />
      </label>
      <label className="field">
        <span>Protocol</span>
        <select
          value={filter.protocol}
          onChange={(event) => onChange({ ...filter, protocol: event.target.value })}
        >
          <option value="">All</option>
          {options(distinctValues(records, 'protocol'), filter.protocol).map((value) => (
            <option key={value}>{value}</option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Account</span>
        <select
          value={filter.account}
          onChange={(event) => onChange({ ...filter, account: event.target.value })}
        >
          <option value="">All</option>
          {options(distinctValues(records, 'account_email'), filter.account).map((value) => (
            <option key={value}>{value}</option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Model</span>
        <select value={filter.model} onChange={(event) => onChange({ ...filter, model: event.target.value })}>
          <option value="">All</option>
          {options(models, filter.model).map((value) => (
            <option key={value}>{value}</option>
          ))}
        </select>
      </label>
      <label className="check field-check">
        <input
          type="checkbox"
          checked={filter.errorsOnly}
          onChange={(event) => onChange({ ...filter, errorsOnly: event.target.checked })}
        />
        Errors only
      </label>
    </div>
  );
}
