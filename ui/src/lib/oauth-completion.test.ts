import { describe, expect, it } from 'vitest';
import { oauthCompletionBody } from './oauth-completion.js';

describe('oauthCompletionBody', () => {
  const cases = [
    {
      name: 'a whole redirect URL is sent as it is, so its own state names the sign-in',
      pasted: '  http://127.0.0.1:8045/auth/callback?code=4%2F0Ab&state=other  ',
      body: { redirect_url: 'http://127.0.0.1:8045/auth/callback?code=4%2F0Ab&state=other' },
    },
    {
      name: 'a bare query gives its code and state',
      pasted: '?state=theirs&code=4/0Ab',
      body: { code: '4/0Ab', state: 'theirs' },
    },
    {
      name: 'a query without state falls back to the page’s sign-in',
      pasted: 'code=abc',
      body: { code: 'abc', state: 'mine' },
    },
    {
      name: 'anything else is the code of the page’s sign-in',
      pasted: ' 4/0AbCdEf ',
      body: { code: '4/0AbCdEf', state: 'mine' },
    },
    { name: 'blank input sends nothing', pasted: '   ', body: null },
    { name: 'a query with an empty code sends nothing', pasted: 'code=&state=x', body: null },
  ];
  it.each(cases)('$name', ({ pasted, body }) => {
    expect(oauthCompletionBody(pasted, 'mine')).toEqual(body);
  });
});
