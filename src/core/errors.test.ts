import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, type FixedStatusCode, SwitchyardError } from './errors.js';

describe('the error catalogue', () => {
  it('answers each code with its one status', () => {
    const fixed = Object.entries(ERROR_CATALOGUE).filter(([, entry]) => entry.status !== null);
    for (const [code, entry] of fixed)
      expect(new SwitchyardError(code as FixedStatusCode, 'x').status).toBe(entry.status);
  });

  it('answers an upstream rejection with the status the upstream gave', () => {
    const error = new SwitchyardError('upstream_rejected', 'Upstream rejected the request: tools', {
      upstreamStatus: 422,
    });
    expect(error).toMatchObject({ code: 'upstream_rejected', status: 422 });
  });

  it('keeps upstream failures apart: unreachable 502, unavailable 503, timeout 504', () => {
    const status = (code: FixedStatusCode) => new SwitchyardError(code, 'x').status;
    expect([
      status('upstream_unreachable'),
      status('upstream_unavailable'),
      status('upstream_timeout'),
    ]).toEqual([502, 503, 504]);
  });
});
