/**
 * Who is in the notes, from the stored updates and attendance: blocks in the order people first gave
 * an update, then participants = everyone with an update (block order) followed by voice attendees
 * present at least minPresenceMinutes in total who gave none, in the order they first joined.
 * Bots are never recorded, so never appear.
 */
import type { AttendanceRecord, AttendeeRecord, MemberIdentity, NameRecord, UpdateRecord } from './records.ts';
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

/** Who is in the notes, whatever their layout. */
export interface PeopleRoster {
  /** People who gave something (an update, a note), in the notes' order. */
  readonly withUpdate: readonly RosterEntry[];
  /** Every attendee, in the order they first joined. */
  readonly attendees: readonly AttendeeEntry[];
  /** The notes' participants list: unique names. */
  readonly participants: readonly string[];
}

export interface Roster extends PeopleRoster {
  /** People with an update, in block order, with their records. */
  readonly withUpdate: readonly (RosterEntry & { readonly record: UpdateRecord })[];
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
  const withUpdate = input.updates
    .filter((record) => record.update.bullets.length > 0)
    .map((record) => ({ userId: record.userId, name: nameIn(input.names, record.userId, record.identity), record }));
  return { ...peopleRoster({ ...input, given: withUpdate, named: withUpdate }), withUpdate };
}

function nameIn(names: ReadonlyMap<string, NameRecord>, userId: string, identity: MemberIdentity): string {
  return resolveName(names.get(userId)?.name, identity, userId).name;
}

export interface PeopleRosterInput extends Omit<RosterInput, 'updates'> {
  /** Who gave something (and so needs no reminder), in the notes' order. */
  readonly given: readonly RosterEntry[];
  /** Everyone the notes name, in order: the participants, before the attendees who are not among them. */
  readonly named: readonly RosterEntry[];
}

/** The roster of any layout: `named` people first, then voice attendees present long enough who gave nothing. */
export function peopleRoster(input: PeopleRosterInput): PeopleRoster {
  const given = new Set(input.given.map((entry) => entry.userId));
  const minMs = input.minPresenceMinutes * 60_000;

  const attendees = (input.attendance?.attendees ?? []).map((attendee) => {
    const ms = presenceMs(attendee, input.until);
    return {
      userId: attendee.userId,
      name: nameIn(input.names, attendee.userId, attendee.identity),
      presenceMs: ms,
      hasUpdate: given.has(attendee.userId),
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
  const named = new Set(input.named.map((entry) => entry.userId));
  for (const entry of input.named) add(entry.name);
  for (const attendee of attendees) if (!named.has(attendee.userId) && attendee.qualifies) add(attendee.name);
  return { withUpdate: input.given, attendees, participants };
}
