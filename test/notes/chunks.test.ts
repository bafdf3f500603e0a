import { describe, expect, it } from 'vitest';
import { firstLines, packPieces, storedContent } from '../../src/notes/chunks.ts';

describe('storedContent', () => {
  it('is the content as Discord stores it: trimmed at both ends, inside untouched', () => {
    expect(storedContent('\n  a\n\n  b  \n\n')).toBe('a\n\n  b');
    expect(storedContent(' \n\t')).toBe('');
  });
});

describe('packPieces', () => {
  const pieces = ['head\n\n', 'A\n* a\n\n', 'B\n* b\n\n', 'C\n* c\n'];

  it('packs whole pieces as full as they go; concatenated, the parts are the pieces', () => {
    expect(packPieces(pieces, 100, 5)).toEqual([pieces.join('')]);
    const parts = packPieces(pieces, 13, 5);
    expect(parts).toEqual(['head\n\nA\n* a\n\n', 'B\n* b\n\nC\n* c\n']);
    expect(parts?.join('')).toBe(pieces.join(''));
  });

  it('measures what Discord stores: the blank line ending a part does not count', () => {
    // 'head\n\nA\n* a' is 11 characters; with its '\n\n' it would be 13.
    expect(packPieces(pieces, 11, 5)?.[0]).toBe('head\n\nA\n* a\n\n');
    expect(packPieces(pieces, 10, 5)?.[0]).toBe('head\n\n');
  });

  it('gives nothing when the pieces need more than maxMessages parts, or one piece alone is too long', () => {
    expect(packPieces(pieces, 6, 4)).toEqual(['head\n\n', 'A\n* a\n\n', 'B\n* b\n\n', 'C\n* c\n']);
    expect(packPieces(pieces, 6, 3)).toBeNull();
    expect(packPieces(['x'.repeat(11)], 10, 5)).toBeNull();
    expect(packPieces(['short\n', 'x'.repeat(11)], 10, 5)).toBeNull();
  });

  it('refuses a limit below 2', () => {
    expect(() => packPieces(pieces, 1, 5)).toThrow(RangeError);
  });
});

describe('firstLines', () => {
  const text = '\n## Heading\n\nA\n* one\n* two\n';

  it('is a prefix of whole lines, at most maxLines not blank, within the limit once trimmed', () => {
    expect(firstLines(text, 100, 12)).toBe(text);
    expect(firstLines(text, 100, 2)).toBe('\n## Heading\n\nA\n');
    expect(firstLines(text, 14, 12)).toBe('\n## Heading\n\nA\n');
    expect(firstLines(text, 12, 12)).toBe('\n## Heading\n\n');
  });

  it('cuts a first line longer than the limit at the limit, never inside a surrogate pair', () => {
    const long = `${'😀'.repeat(10)}\nmore\n`;
    expect(firstLines(long, 7, 5)).toBe('😀😀😀');
    expect(firstLines(`\n${'x'.repeat(20)}`, 5, 5)).toBe('\nxxxxx');
  });
});
