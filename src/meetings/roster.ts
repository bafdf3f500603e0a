/**
 * Who is in the notes, from the stored updates and attendance: blocks in the order people first gave
 * an update, then participants = everyone with an update (block order) followed by voice attendees
 * present at least minPresenceMinutes in total who gave none, in the order they first joined.
 * Bots are never recorded, so never appear.
 */
import type { AttendanceRecord, AttendeeRecord, NameRecord, UpdateRecord } from './records.ts';
import { resolveName } from './names.ts';

export interface RosterEntry {
  readonly userId: string;
  readonly name: string;
}

export interface AttendeeEntry extends RosterEntry {
  readonly presenceMs: number;
  readonly hasUpdate: boolean;
  /** Present long enough to be a participant on attendance alone. */
  readonly qualifies: boolean;
}

export interface Roster {
  /** People with an update, in block order, with their records. */
  readonly withUpdate: readonly (RosterEntry & { readonly record: UpdateRecord })[];
  /** Every attendee, in the order they first joined. */
  readonly attendees: readonly AttendeeEntry[];
  /** The notes' participants list: unique names. */
  readonly participants: readonly string[];
}

/** Total presence, counting a still-open interval up to `until`. */
export function presenceMs(attendee: AttendeeRecord, until: Date): number {
  let total = 0;
  for (const interval of attendee.intervals) {
    const from = Date.parse(interval.from);
    const to = interval.to === undefined ? until.getTime() : Date.parse(interval.to);
    if (to > from) total += to - from;
  }
  return total;
}

export interface RosterInput {
  /** In block order (as UpdateRepository.list returns them). */
  readonly updates: readonly UpdateRecord[];
  readonly attendance: AttendanceRecord | undefined;
  /** Names set with `/name`, by user id, for this guild. */
  readonly names: ReadonlyMap<string, NameRecord>;
  readonly minPresenceMinutes: number;
  /** Open presence intervals count up to here (the end of the meeting, or now). */
  readonly until: Date;
}

export function roster(input: RosterInput): Roster {
  const nameOf = (userId: string, identity: UpdateRecord['identity']) => resolveName(input.names.get(userId)?.name, identity, userId).name;
  const withUpdate = input.updates
    .filter((record) => record.update.bullets.length > 0)
    .map((record) => ({ userId: record.userId, name: nameOf(record.userId, record.identity), record }));
  const updated = new Set(withUpdate.map((entry) => entry.userId));
  const minMs = input.minPresenceMinutes * 60_000;

  const attendees = (input.attendance?.attendees ?? []).map((attendee) => {
    const ms = presenceMs(attendee, input.until);
    return {
      userId: attendee.userId,
      name: nameOf(attendee.userId, attendee.identity),
      presenceMs: ms,
      hasUpdate: updated.has(attendee.userId),
      qualifies: ms >= minMs,
    };
  });

  const participants: string[] = [];
  const seen = new Set<string>();
  const add = (name: string) => {
    if (!seen.has(name)) {
      seen.add(name);
      participants.push(name);
    }
  };
  for (const entry of withUpdate) add(entry.name);
  for (const attendee of attendees) if (!attendee.hasUpdate && attendee.qualifies) add(attendee.name);
  return { withUpdate, attendees, participants };
}
