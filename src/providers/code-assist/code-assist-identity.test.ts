import { describe, expect, it } from 'vitest';
import {
  codeAssistClientHeaders,
  codeAssistRequestId,
  codeAssistRequestType,
  codeAssistSessionId,
  codeAssistUserAgent,
  defaultCodeAssistUserAgent,
} from './code-assist-identity.js';

describe('codeAssistSessionId', () => {
  it.each([
    ['', '-3750763034362895579'],
    ['a', '-5808590958014384194'],
    // 0x340d8765a4dda9c2, the published 64-bit FNV-1 test vector of "foobar".
    ['foobar', '3750802935296928194'],
  ])('is the signed 64-bit FNV-1 hash of %j', (accountId, expected) => {
    expect(codeAssistSessionId(accountId)).toBe(expected);
  });

  it('is stable per account and differs between accounts', () => {
    const id = '3f1c2a9e-6b1d-4c55-9f0a-2d7e8b6c4a10';
    expect(codeAssistSessionId(id)).toBe(codeAssistSessionId(id));
    expect(codeAssistSessionId(id)).not.toBe(codeAssistSessionId(`${id}x`));
  });
});

describe('envelope fields', () => {
  it.each([
    ['me@gmail.com', 'antigravity'],
    ['Me@GoogleMail.com ', 'antigravity'],
    ['me@company.com', 'jetski'],
    ['gmail.com@company.com', 'jetski'],
  ])('userAgent of %s is %s', (email, expected) => {
    expect(codeAssistUserAgent(email)).toBe(expected);
  });

  it.each([
    ['gemini-2.5-pro', 'agent'],
    ['claude-sonnet-4-5', 'agent'],
    ['gemini-3-pro-image', 'image_gen'],
    ['gemini-3.1-flash-Image-preview', 'image_gen'],
  ])('requestType of %s is %s', (model, expected) => {
    expect(codeAssistRequestType(model)).toBe(expected);
  });

  it('requestId is agent/<epoch ms>/<8 hex>', () => {
    expect(codeAssistRequestId({ now: 1_767_225_600_123, randomHex: '0a1b2c3d' })).toBe(
      'agent/1767225600123/0a1b2c3d',
    );
  });
});

describe('client identity', () => {
  it.each([
    ['linux', 'x64', 'Antigravity/4.3.0 (linux/x86_64) Chrome/132.0.6834.160 Electron/39.2.3'],
    ['darwin', 'arm64', 'Antigravity/4.3.0 (macos/aarch64) Chrome/132.0.6834.160 Electron/39.2.3'],
    ['win32', 'x64', 'Antigravity/4.3.0 (windows/x86_64) Chrome/132.0.6834.160 Electron/39.2.3'],
  ])('builds the User-Agent on %s/%s', (platform, arch, expected) => {
    expect(defaultCodeAssistUserAgent({ version: '4.3.0', platform, arch })).toBe(expected);
  });

  it('sends user agent, client name and version, and the per-process session id as headers', () => {
    const identity = {
      userAgent: 'UA',
      clientName: 'antigravity',
      clientVersion: '4.3.0',
      sessionUuid: 'u-1',
    };
    expect(codeAssistClientHeaders(identity)).toEqual({
      'user-agent': 'UA',
      'x-client-name': 'antigravity',
      'x-client-version': '4.3.0',
      'x-vscode-sessionid': 'u-1',
    });
  });
});
