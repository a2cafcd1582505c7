import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ClientConnection } from './client-connection.js';

class FakeResponse extends EventEmitter {
  writableFinished = false;
}

function connect() {
  const response = new FakeResponse();
  const reason = new Error('client went away');
  const connection = new ClientConnection(response as unknown as ServerResponse, () => reason);
  return { response, reason, connection };
}

describe('ClientConnection', () => {
  it('tells its listeners and its signal why, when the response closes before it finished', () => {
    const { response, reason, connection } = connect();
    const heard: unknown[] = [];
    connection.subscribe((why) => heard.push(why));
    const signal = connection.signal;
    expect(connection.reason).toBeUndefined();
    response.emit('close');
    expect(heard).toEqual([reason]);
    expect(connection.reason).toBe(reason);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(reason);
  });

  it('creates an already aborted signal when asked after the client left', () => {
    const { response, reason, connection } = connect();
    response.emit('close');
    expect(connection.signal.aborted).toBe(true);
    expect(connection.signal.reason).toBe(reason);
  });

  it('is not gone when the response closes after it finished', () => {
    const { response, connection } = connect();
    const heard: unknown[] = [];
    connection.subscribe((why) => heard.push(why));
    response.writableFinished = true;
    response.emit('close');
    expect(heard).toEqual([]);
    expect(connection.reason).toBeUndefined();
    expect(connection.signal.aborted).toBe(false);
  });
});
