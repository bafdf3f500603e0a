/**
 * A meeting's notes from what the store holds: datetime at the meeting's recorded open (`opensAt`, in
 * the series' zone with the offset at that instant, so a fall-back day names the occurrence it opened
 * at), location from its template, teams, the participants and one block per person with an update.
 */
import { datetimeOf } from '../notes/datetime.ts';
import type { Block, Notes } from '../notes/types.ts';
import type { AttendanceRecord, MeetingRecord, NameRecord, UpdateRecord } from './records.ts';
import { roster, type Roster } from './roster.ts';
import { locationFor } from './templates.ts';

export interface CompileSeries {
  readonly timeZone: string;
  readonly location: string;
  readonly teams: readonly string[];
  readonly minPresenceMinutes: number;
}

export interface CompileInput {
  readonly series: CompileSeries;
  readonly meeting: MeetingRecord;
  readonly updates: readonly UpdateRecord[];
  readonly attendance: AttendanceRecord | undefined;
  readonly names: ReadonlyMap<string, NameRecord>;
  /** Presence still open counts up to the meeting's end, or up to `now` while it runs. */
  readonly now: Date;
}

export function compileNotes(input: CompileInput): { notes: Notes; roster: Roster } {
  const { series, meeting } = input;
  const until = meeting.endedAt !== undefined ? new Date(meeting.endedAt) : input.now;
  const people = roster({
    updates: input.updates,
    attendance: input.attendance,
    names: input.names,
    minPresenceMinutes: series.minPresenceMinutes,
    until,
  });
  const blocks: Block[] = people.withUpdate.map((entry) => ({
    names: [entry.name],
    bullets: entry.record.update.bullets,
    references: entry.record.update.references,
  }));
  const notes: Notes = {
    datetime: datetimeOf(new Date(meeting.opensAt), series.timeZone),
    location: locationFor(series, meeting.voiceChannelName ?? 'voice'),
    teams: [...series.teams],
    participants: people.participants,
    blocks,
  };
  return { notes, roster: people };
}
