/**
 * Robustness of every proxy route: broken bodies of every kind (`fuzz-kinds.ts`) against the four
 * protocols, streaming and not, and count-tokens, through a real listening gateway. Every answer
 * must keep the rules of `fuzz-rig.ts`; afterwards the gateway is still up and serves normal
 * requests. Seed and runs: `test/support/fuzz-settings.ts`.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFuzzRun, fuzzSettings, propertyParameters } from '../support/fuzz-settings.js';
import { httpCall, rawCall } from '../support/http-call.js';
import { ODD_STRINGS } from '../support/mutation-arbitraries.js';
import { streamEndProblem } from '../support/protocol-answers.js';
import { FUZZ_KINDS, fuzzKind } from './fuzz-kinds.js';
import { FUZZ_SECRETS, type FuzzRig, sendAndJudge, startFuzzRig } from './fuzz-rig.js';
import { PROXY_ROUTES } from './fuzz-routes.js';

const settings = fuzzSettings();
/** Generous per test: shrinking a failure sends many more requests than the runs themselves. */
const TIMEOUT_MS = 120_000 + (settings.runs ?? 0) * 400;

let rig: FuzzRig;
beforeAll(async () => {
  console.info(describeFuzzRun(settings, 'proxy routes'));
  rig = await startFuzzRig();
});
afterAll(async () => {
  await rig?.close();
});

describe.each(PROXY_ROUTES)('$name', (route) => {
  it.each(FUZZ_KINDS)(
    '$kind bodies get a well-formed answer and cost no upstream call when refused',
    (kind) => fuzzKind({ rig, route, kind, settings }),
    TIMEOUT_MS,
  );
});

describe('Gemini model names in the path', () => {
  const route = PROXY_ROUTES.find((entry) => entry.dialect === 'gemini' && !entry.stream)!;
  const encodings = [
    '%25',
    '%',
    '%zz',
    '%E0%A4%A',
    '..%2F..%2Fapi%2Fconfig',
    '%0d%0aX-Injected:%201',
    '%F0%9F%9A%80',
    'a%00b',
  ];
  it(
    'odd model names, encoded or raw, get a well-formed answer',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.constantFrom(...encodings),
            ODD_STRINGS.map((model) => encodeURIComponent(model)),
          ),
          async (model) => {
            const path = `/v1beta/models/${model}:generateContent`;
            const { problems } = await sendAndJudge({
              rig,
              route,
              sample: route.samples[0] ?? null,
              mutation: { kind: 'content-type', contentType: 'application/json' },
              path,
            });
            if (problems.length > 0) throw new Error(problems.join('\n'));
          },
        ),
        propertyParameters({ settings, name: 'gemini path model', defaultRuns: 20, examples: encodings }),
      );
    },
    TIMEOUT_MS,
  );
});

describe('afterwards', () => {
  const KEY = { authorization: `Bearer ${FUZZ_SECRETS['proxy API key']}` };
  it('the gateway is still up and answers a normal request of every protocol', async () => {
    const health = await httpCall(`${rig.gateway.url}/healthz`, { headers: KEY });
    expect(health.json).toMatchObject({ status: 'ok' });
    for (const route of PROXY_ROUTES) {
      const answer = await rawCall(`${rig.gateway.url}${route.path}`, {
        method: route.method,
        body: Buffer.from(JSON.stringify(route.samples[0])),
        contentType: 'application/json',
        headers: KEY,
      });
      expect(answer.status, `${route.name}: ${answer.text.slice(0, 300)}`).toBe(200);
      if (route.stream) expect(streamEndProblem(route.stream, answer.text)).toBeNull();
    }
    expect(Object.keys(Object.prototype)).toEqual([]);
  });
});
