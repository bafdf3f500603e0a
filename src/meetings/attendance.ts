/**
 * Attendance edits: pure, each returning the same array when nothing changes, so that the caller
 * can skip the write.
 */
import type { AttendeeRecord, MemberIdentity } from './records.ts';
import type { VoiceMember } from './ports.ts';

/**
 * `joining` are in the voice channel now, in this order: someone new is added at the end, someone who
 * had left gets a new interval, and a changed nickname or display name is taken. One pass over the
 * list, however many join: a meeting's start-up sync brings in every member of a large channel at once.
 */
export function join(attendees: readonly AttendeeRecord[], joining: readonly VoiceMember[], now: string): readonly AttendeeRecord[] {
  let next: AttendeeRecord[] | undefined;
  const position = new Map(attendees.map((a, i) => [a.userId, i]));
  for (const member of joining) {
    const identity: MemberIdentity = member.nick === undefined ? { displayName: member.displayName } : { nick: member.nick, displayName: member.displayName };
    const index = position.get(member.userId);
    const existing = index === undefined ? undefined : (next ?? attendees)[index];
    if (index === undefined || !existing) {
      next ??= [...attendees];
      position.set(member.userId, next.length);
      next.push({ userId: member.userId, identity, firstJoinedAt: now, intervals: [{ from: now }] });
      continue;
    }
    const present = existing.intervals.some((i) => i.to === undefined);
    const sameIdentity = existing.identity.nick === identity.nick && existing.identity.displayName === identity.displayName;
    if (present && sameIdentity) continue;
    next ??= [...attendees];
    next[index] = { ...existing, identity, intervals: present ? existing.intervals : [...existing.intervals, { from: now }] };
  }
  return next ?? attendees;
}

/** Closes the open interval of everyone `leaving` picks. */
export function leave(attendees: readonly AttendeeRecord[], leaving: (userId: string) => boolean, now: string): readonly AttendeeRecord[] {
  let changed = false;
  const next = attendees.map((a) => {
    if (!leaving(a.userId) || !a.intervals.some((i) => i.to === undefined)) return a;
    changed = true;
    return { ...a, intervals: a.intervals.map((i) => (i.to === undefined ? { from: i.from, to: now } : i)) };
  });
  return changed ? next : attendees;
}
