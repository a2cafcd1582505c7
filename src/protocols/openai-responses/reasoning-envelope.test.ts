import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeReasoningEnvelope, encodeReasoningEnvelope } from './reasoning-envelope.js';

describe('reasoning envelope', () => {
  it('gives back exactly the signature and redacted data it was given', () => {
    fc.assert(
      fc.property(
        fc.option(fc.string(), { nil: undefined }),
        fc.option(fc.string(), { nil: undefined }),
        (signature, redactedData) => {
          const part = {
            ...(signature === undefined ? {} : { signature }),
            ...(redactedData === undefined ? {} : { redactedData }),
          };
          const envelope = encodeReasoningEnvelope(part);
          if (envelope === undefined) expect(part).toEqual({});
          else expect(decodeReasoningEnvelope(envelope)).toEqual(part);
        },
      ),
    );
  });

  it('writes nothing for a part without opaque values', () => {
    expect(encodeReasoningEnvelope({})).toBeUndefined();
  });

  it('keeps content it did not write whole, as redacted data', () => {
    expect(decodeReasoningEnvelope('gAAAAABo-openai')).toEqual({ redactedData: 'gAAAAABo-openai' });
    expect(decodeReasoningEnvelope('swy1.not-json')).toEqual({ redactedData: 'swy1.not-json' });
  });
});
