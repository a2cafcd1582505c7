/**
 * The conversations `switchyard demo` plays against the gateway: a mix of OpenAI and Anthropic
 * clients, each with a stable first user message (so every turn carries the same session id and
 * the gateway keeps the conversation on one account) and follow-ups that make it grow.
 */

/** One simulated client conversation. */
export interface DemoConversation {
  /** Short label, shown in summaries. */
  name: string;
  /** Which wire protocol the client speaks to the gateway. */
  client: 'openai' | 'anthropic';
  /** Model the client asks for. */
  model: string;
  /** Whether the client asks for a streamed answer. */
  stream: boolean;
  /**
   * The first user message, long enough to give the conversation a session id; a restarted
   * conversation gets `(take N)` appended, hence a new session.
   */
  opening: string;
  /** User messages of the following turns, used in order and then again from the start. */
  followUps: readonly string[];
}

export const DEMO_CONVERSATIONS: readonly DemoConversation[] = [
  {
    name: 'trip-planner',
    client: 'openai',
    model: 'gpt-4o',
    stream: false,
    opening: 'Plan a three-day trip to Lisbon for someone who likes trams and bakeries.',
    followUps: ['Make day two rainy-day friendly.', 'Add a budget per day.', 'Which bakery first?'],
  },
  {
    name: 'code-review',
    client: 'anthropic',
    model: 'claude-sonnet-4-5',
    stream: true,
    opening: 'Review this TypeScript function that merges two sorted arrays and point out edge cases.',
    followUps: ['What about empty inputs?', 'Rewrite it without mutation.', 'Add a property test.'],
  },
  {
    name: 'sql-tutor',
    client: 'openai',
    model: 'gpt-4o-mini',
    stream: true,
    opening: 'Explain the difference between INNER JOIN and LEFT JOIN with a tiny example table.',
    followUps: ['Now show a FULL OUTER JOIN.', 'How do NULLs behave here?', 'Give me an exercise.'],
  },
  {
    name: 'release-notes',
    client: 'anthropic',
    model: 'claude-haiku-4-5',
    stream: false,
    opening: 'Draft release notes for version 2.3 of a small command-line tool that syncs dotfiles.',
    followUps: ['Shorter, please.', 'Add a migration note.', 'Make the tone friendlier.'],
  },
  {
    name: 'bug-hunt',
    client: 'openai',
    model: 'gpt-4o',
    stream: false,
    opening: 'My Node server leaks memory after every request that times out. Where should I look first?',
    followUps: ['It uses AbortController.', 'Heap snapshots show listeners.', 'How do I fix it?'],
  },
];
