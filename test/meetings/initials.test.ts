import { describe, expect, it } from 'vitest';
import { assignInitials, initialsOf, nameParts } from '../../src/meetings/initials.ts';
import { turnOf } from '../../src/notes/index.ts';

describe('initials', () => {
  it('are the capitals of the name parts, folded to ASCII', () => {
    expect(initialsOf('ȘtefanJ')).toBe('SJ');
    expect(initialsOf('RazvanD')).toBe('RD');
    expect(initialsOf('RăzvanD')).toBe('RD');
    expect(initialsOf('Razvan D')).toBe('RD');
    expect(initialsOf('Paul-Vlad Ungureanu')).toBe('PVU');
    expect(initialsOf('Łukasz Ørsted')).toBe('LO');
    expect(initialsOf('Marc')).toBe('M');
  });

  it('take a lowercase name by its first letters, and a name in another script by a placeholder', () => {
    expect(initialsOf('carol')).toBe('C');
    expect(initialsOf('john doe')).toBe('JD');
    expect(initialsOf('王伟')).toBe('X');
    expect(nameParts('ȘtefanJ')).toEqual(['Stefan', 'J']);
  });

  it('are never shared in one meeting: the later of two gets one more letter, in the order given', () => {
    const initials = assignInitials([
      { userId: '1', name: 'RobertD' },
      { userId: '2', name: 'RazvanD' },
      { userId: '3', name: 'RoxanaD' },
      { userId: '4', name: 'ȘtefanJ' },
      { userId: '5', name: 'Marc' },
      { userId: '6', name: 'Mo' },
      { userId: '7', name: 'Mo' },
      { userId: '1', name: 'RobertD' },
    ]);
    expect([...initials]).toEqual([
      ['1', 'RD'],
      ['2', 'RaD'],
      ['3', 'RoD'],
      ['4', 'SJ'],
      ['5', 'M'],
      ['6', 'Mo'],
      // Nothing more to take from the name: a number.
      ['7', 'M2'],
    ]);
    // Each reads back as one speaker in the notes.
    for (const value of initials.values()) expect(turnOf(`${value}: text`)?.speakers).toEqual([value]);
  });
});
