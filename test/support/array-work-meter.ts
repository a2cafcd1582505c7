/**
 * Counts work instead of timing it: while `run` executes, every array operation adds the number of
 * elements it visits, copies or appends (callbacks of `map`/`filter`/`forEach`/…, steps of array
 * iterators — which spreads and `for…of` use —, elements copied by `slice`/`concat`/`join`,
 * arguments of `push`). A linear transformation does about 4× the work on a 4× larger input; one
 * that copies what it built so far for every item does about 16×. Native JSON parsing and string
 * building are not counted.
 *
 * The counting wrappers replace `Array.prototype` methods for the duration of `run` only (which
 * must be synchronous), and are restored afterwards even when it throws.
 */

type Method = (this: unknown[], ...args: unknown[]) => unknown;

const CALLBACK_METHODS = [
  'forEach',
  'map',
  'filter',
  'flatMap',
  'some',
  'every',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'reduce',
  'reduceRight',
] as const;

/** Methods whose work is the length of the array they run on (or produce). */
const LENGTH_METHODS = [
  'slice',
  'concat',
  'join',
  'indexOf',
  'lastIndexOf',
  'includes',
  'reverse',
  'fill',
] as const;

export function countArrayWork<T>(run: () => T): { result: T; work: number } {
  let work = 0;
  const prototype = Array.prototype as unknown as Record<string | symbol, Method>;
  const saved = new Map<string | symbol, Method>();
  const replace = (name: string | symbol, wrap: (original: Method) => Method) => {
    const original = prototype[name] as Method;
    saved.set(name, original);
    prototype[name] = wrap(original);
  };
  for (const name of CALLBACK_METHODS) {
    replace(
      name,
      (original) =>
        function (this: unknown[], callback: unknown, ...rest: unknown[]) {
          const counted = function (this: unknown, ...args: unknown[]) {
            work++;
            return (callback as Method).apply(this as unknown[], args);
          };
          // `reduce` tells "no initial value" from `undefined` by the argument count: keep it.
          return rest.length === 0 ? original.call(this, counted) : original.call(this, counted, rest[0]);
        },
    );
  }
  for (const name of LENGTH_METHODS) {
    replace(
      name,
      (original) =>
        function (this: unknown[], ...args: unknown[]) {
          const result = original.apply(this, args);
          work += Math.max(this.length, Array.isArray(result) ? result.length : 0);
          return result;
        },
    );
  }
  replace(
    'push',
    (original) =>
      function (this: unknown[], ...items: unknown[]) {
        work += items.length;
        return original.apply(this, items);
      },
  );
  const countSteps = (original: Method) =>
    function (this: unknown[]) {
      const iterator = original.call(this) as Iterator<unknown>;
      return {
        next() {
          work++;
          return iterator.next();
        },
        [Symbol.iterator]() {
          return this;
        },
      };
    };
  replace(Symbol.iterator, countSteps);
  replace('values', countSteps);
  replace('entries', countSteps);
  try {
    const result = run();
    return { result, work };
  } finally {
    for (const [name, original] of saved) prototype[name] = original;
  }
}
