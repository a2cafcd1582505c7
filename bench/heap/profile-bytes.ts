/**
 * Bytes per request in a V8 sampling heap profile (`survivor-probe.js` writes one with the requests
 * served while it sampled): by the function that allocated (self), and by the innermost Switchyard
 * function on the allocating stack, so library allocations made on Switchyard's behalf (a reply's
 * headers, an upstream request's objects) count for the code that asked for them.
 */

import { frameKey, type ProfileCallFrame } from '../profile-frame.js';

export interface HeapProfileNode {
  callFrame: ProfileCallFrame;
  selfSize: number;
  children: HeapProfileNode[];
}

export interface HeapProfile {
  head: HeapProfileNode;
  /** Requests served while the profiler sampled (added by the probe). */
  served?: number;
}

export interface ProfileBytes {
  /** Sampled bytes per request over the whole profile. */
  perRequest: number;
  /** Bytes per request by allocating function, largest first. */
  self: [string, number][];
  /** Bytes per request by innermost Switchyard frame (`(no Switchyard frame)` when none), largest first. */
  switchyard: [string, number][];
}

/** The label of the allocations made with no Switchyard function on the stack. */
export const OUTSIDE_SWITCHYARD = '(no Switchyard frame)';

/** Switchyard's own code: compiled sources under `dist/src/`. */
function isSwitchyard(node: HeapProfileNode): boolean {
  return node.callFrame.url.includes('/dist/src/');
}

function sorted(values: Map<string, number>, requests: number): [string, number][] {
  return [...values]
    .map(([key, bytes]): [string, number] => [key, bytes / requests])
    .sort((left, right) => right[1] - left[1]);
}

/** Sums the profile's sampled bytes per request, by allocating function and by Switchyard caller. */
export function profileBytes(profile: HeapProfile, requests = profile.served ?? 0): ProfileBytes {
  if (!(requests > 0)) throw new Error('the profile names no served requests: give their count');
  const self = new Map<string, number>();
  const switchyard = new Map<string, number>();
  let total = 0;
  const add = (into: Map<string, number>, key: string, bytes: number) =>
    into.set(key, (into.get(key) ?? 0) + bytes);
  // Iterative: a deep stack must not overflow ours.
  const pending: { node: HeapProfileNode; caller: string }[] = [
    { node: profile.head, caller: OUTSIDE_SWITCHYARD },
  ];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { node } = next;
    const caller = isSwitchyard(node) ? frameKey(node.callFrame) : next.caller;
    if (node.selfSize > 0) {
      total += node.selfSize;
      add(self, frameKey(node.callFrame), node.selfSize);
      add(switchyard, caller, node.selfSize);
    }
    for (const child of node.children) pending.push({ node: child, caller });
  }
  return {
    perRequest: total / requests,
    self: sorted(self, requests),
    switchyard: sorted(switchyard, requests),
  };
}
