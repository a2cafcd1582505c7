import { describe, expect, it } from 'vitest';
import { formatModelList, parseModelList } from './model-list.js';

describe('parseModelList', () => {
  it.each([
    ['', []],
    ['gpt-4o', ['gpt-4o']],
    ['gpt-4o, gpt-4.1*,claude-*', ['gpt-4o', 'gpt-4.1*', 'claude-*']],
    ['a\nb  a', ['a', 'b']],
    [' , ', []],
  ])('reads %j as %j', (text, models) => {
    expect(parseModelList(text)).toEqual(models);
  });

  it('reads back what it formats', () => {
    const models = ['gpt-4o', 'claude-*'];
    expect(parseModelList(formatModelList(models))).toEqual(models);
  });
});
