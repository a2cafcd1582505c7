import { it } from 'vitest';
import { dropMidStream } from '../support/mock-upstream.js';
import { KEY, startTranslationSetup } from './recorded-clients.js';

it('x', async () => {
  const s = await startTranslationSetup();
  await s.pin('anthropic');
  s.upstream.script(KEY.anthropic, dropMidStream({ afterChunks: 2 }));
  const r = await s.gateway.call('POST', '/v1/responses', {
    body: { model: 'm', stream: true, input: 'hello there you' },
  });
  console.log(r.text);
  await s.close();
});
