import { describe, expect, it } from 'vitest';
import { type HeapProfileNode, OUTSIDE_SWITCHYARD, profileBytes } from '../../bench/heap/profile-bytes.js';

function frame(
  name: string,
  url: string,
  selfSize: number,
  children: HeapProfileNode[] = [],
): HeapProfileNode {
  return { callFrame: { functionName: name, url, lineNumber: 9 }, selfSize, children };
}

const GATEWAY = 'file:///app/dist/src/gateway/gateway.js';
const REPLY = 'file:///app/node_modules/fastify/lib/reply.js';

describe('profileBytes', () => {
  const profile = {
    served: 10,
    head: frame('(root)', '', 0, [
      frame('handle', GATEWAY, 400, [
        frame('send', REPLY, 600, [frame('processHeader', 'node:_http_outgoing', 200)]),
      ]),
      frame('parserOnIncoming', 'node:_http_server', 300),
      frame('send', REPLY, 100),
    ]),
  };

  it('gives bytes per request served by allocating function, largest first', () => {
    const bytes = profileBytes(profile);
    expect(bytes.perRequest).toBe(160);
    expect(bytes.self).toEqual([
      ['send node_modules/fastify/lib/reply.js:10', 70],
      ['handle dist/src/gateway/gateway.js:10', 40],
      ['parserOnIncoming _http_server:10', 30],
      ['processHeader _http_outgoing:10', 20],
    ]);
  });

  it('counts library allocations for the innermost Switchyard function that asked for them', () => {
    expect(profileBytes(profile).switchyard).toEqual([
      ['handle dist/src/gateway/gateway.js:10', 120],
      [OUTSIDE_SWITCHYARD, 40],
    ]);
  });

  it('takes the request count from the caller when the profile has none, and refuses none at all', () => {
    const { served: _, ...without } = profile;
    expect(profileBytes(without, 20).perRequest).toBe(80);
    expect(() => profileBytes(without)).toThrow(/no served requests/);
  });
});
