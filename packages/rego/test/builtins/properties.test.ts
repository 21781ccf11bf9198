import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { equal, fromJSON, keyOf, makeNumber } from '../../src/value.ts';
import { value } from './call.ts';

describe('builtin properties', () => {
  it('plus and minus are exact inverses on integers of any size', () => {
    fc.assert(fc.property(fc.bigInt(), fc.bigInt(), (a, b) => {
      const x = makeNumber(a), y = makeNumber(b);
      const sum = value('plus', x, y)!;
      expect(equal(value('minus', sum, y)!, x)).toBe(true);
    }));
  });

  it('a quoted glob matches exactly its own text', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      const quoted = value('glob.quote_meta', s) as string;
      expect(value('glob.match', quoted, null, s)).toBe(true);
      expect(value('glob.match', quoted, [], s + 'x')).toBe(false);
    }));
  });

  // Compared by canonical key: a double beyond 2^53 reads back as the exact integer its decimal text names.
  it('json.unmarshal reads back what json.marshal writes', () => {
    fc.assert(fc.property(fc.jsonValue(), (j) => {
      const v = fromJSON(JSON.parse(JSON.stringify(j)));
      expect(keyOf(value('json.unmarshal', value('json.marshal', v)!)!)).toBe(keyOf(v));
    }));
  });

  it('yaml.unmarshal reads back what yaml.marshal writes', () => {
    fc.assert(fc.property(fc.jsonValue(), (j) => {
      const v = fromJSON(JSON.parse(JSON.stringify(j)));
      expect(keyOf(value('yaml.unmarshal', value('yaml.marshal', v)!)!)).toBe(keyOf(v));
    }));
  });

  it('sprintf %d of an integer is its decimal text', () => {
    fc.assert(fc.property(fc.bigInt(), (a) => {
      expect(value('sprintf', '%d', [makeNumber(a)])).toBe(a.toString());
    }));
  });
});
