import fc from 'fast-check';
import { Keyv } from 'keyv';
import { describe, expect, it } from 'vitest';
import { serializeRecord } from '../../src/store/serialize.ts';

const keyvDefaults = new Keyv();
const defaultSerialize = keyvDefaults.serialize;
const defaultDeserialize = keyvDefaults.deserialize;

/** JSON data with plenty of strings that start with ':' (the one case keyv's format escapes). */
const colonString = fc.string().map((s) => `:${s}`);
const data = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    colonString,
    fc.integer(),
    // -0 is written as 0 by JSON itself, in both.
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(fc.string(), colonString), tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('serializeRecord', () => {
  it("writes exactly what keyv's default serializer writes, for any JSON data", () => {
    if (!defaultSerialize || !defaultDeserialize) throw new Error('keyv has no default serializer');
    fc.assert(
      fc.property(data, fc.option(fc.integer({ min: 0 }), { nil: undefined }), (value, expires) => {
        const entry = { value, expires };
        const ours = serializeRecord(entry);
        expect(ours).toBe(defaultSerialize(entry));
        expect(defaultDeserialize(ours)).toEqual(expires === undefined ? { value } : entry);
      }),
      { numRuns: 500 },
    );
  });

  it('escapes a leading colon in values only, as keyv does', () => {
    expect(serializeRecord({ value: { ':key': ':smile: done', list: [':a', 'b:'] } })).toBe('{"value":{":key":"::smile: done","list":["::a","b:"]}}');
  });
});

describe('serializeRecord on text that only looks like a leading colon', () => {
  it('is not fooled by quotes, colons and commas inside strings, and escapes a top-level string too', () => {
    expect(serializeRecord({ value: ['a,":b', 'c[":d', 'e:":f'] })).toBe('{"value":["a,\\":b","c[\\":d","e:\\":f"]}');
    expect(serializeRecord(':top')).toBe('"::top"');
    expect(serializeRecord({ ':key': 'plain' })).toBe('{":key":"plain"}');
  });
});
