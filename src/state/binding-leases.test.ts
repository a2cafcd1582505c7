import { describe, expect, it } from 'vitest';
import { BindingLeases } from './binding-leases.js';

describe('BindingLeases', () => {
  it('answers for a session from its grant until the lease ends, and not after', () => {
    const leases = new BindingLeases(1000, 10);
    expect(leases.get('s1', 0)).toBeNull();
    leases.grant('s1', 'a', 100);
    expect(leases.get('s1', 100)).toBe('a');
    expect(leases.get('s1', 1099)).toBe('a');
    expect(leases.get('s1', 1100)).toBeNull();
    expect(leases.size).toBe(0);
  });

  it('is not renewed by its use, only by a new grant', () => {
    const leases = new BindingLeases(1000, 10);
    leases.grant('s1', 'a', 0);
    for (let now = 0; now < 1000; now += 100) expect(leases.get('s1', now)).toBe('a');
    expect(leases.get('s1', 1000)).toBeNull();
    leases.grant('s1', 'b', 1000);
    expect(leases.get('s1', 1999)).toBe('b');
  });

  it('grants nothing when leasing is off', () => {
    const leases = new BindingLeases(0, 10);
    leases.grant('s1', 'a', 0);
    expect(leases.get('s1', 0)).toBeNull();
    expect(leases.size).toBe(0);
  });

  it('drops one session, every lease on one account, or all', () => {
    const leases = new BindingLeases(1000, 10);
    leases.grant('s1', 'a', 0);
    leases.grant('s2', 'a', 0);
    leases.grant('s3', 'b', 0);
    leases.grant('s4', 'c', 0);
    leases.drop('s4');
    expect(leases.get('s4', 1)).toBeNull();
    leases.dropAccount('a');
    expect([leases.get('s1', 1), leases.get('s2', 1), leases.get('s3', 1)]).toEqual([null, null, 'b']);
    leases.clear();
    expect(leases.get('s3', 1)).toBeNull();
  });

  it('holds at most `max` leases, evicting the least recently granted', () => {
    const leases = new BindingLeases(1000, 2);
    leases.grant('s1', 'a', 0);
    leases.grant('s2', 'b', 1);
    leases.grant('s1', 'a', 2);
    leases.grant('s3', 'c', 3);
    expect(leases.size).toBe(2);
    expect([leases.get('s1', 4), leases.get('s2', 4), leases.get('s3', 4)]).toEqual(['a', null, 'c']);
  });

  it('sweeps ended leases when granting, so they do not pile up', () => {
    const leases = new BindingLeases(10, 1000);
    for (let index = 0; index < 100; index++) leases.grant(`s${index}`, 'a', index * 20);
    expect(leases.size).toBe(1);
  });
});
