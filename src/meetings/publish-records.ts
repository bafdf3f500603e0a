/** The record of what was published of a meeting (issue 23), kept apart from records.ts for its size. */
import type { MeetingKey } from './records.ts';

/** One revision's publish (issue 23): `pending` until the publisher answered, then `done` with where it landed. */
export interface PublishEntry {
  readonly revision: number;
  readonly contentHash: string;
  readonly status: 'pending' | 'done';
  /** The remote or `github:owner/name` (never a credential), the branch and the file's path. */
  readonly where: string;
  readonly branch: string;
  readonly path: string;
  /** The notes exactly as posted, kept while pending so that a later start publishes this text; dropped once done. */
  readonly content?: string;
  readonly requestedAt: string;
  /** Failed attempts so far, the last one's error (redacted), when the next is due, whether a maintainer was told. */
  readonly attempts: number;
  readonly lastError?: string;
  readonly nextAttemptAt?: string;
  readonly reported?: boolean;
  readonly commit?: string;
  /** The pull request when there is one, else the commit. */
  readonly url?: string;
  readonly pullRequest?: { readonly number: number; readonly url: string };
  /** False when the repository already held this text: nothing was committed. */
  readonly changed?: boolean;
  readonly doneAt?: string;
}

/** Every publish of a meeting, oldest first; only the last may be pending. */
export interface PublishRecord {
  readonly meetingKey: MeetingKey;
  readonly entries: readonly PublishEntry[];
  readonly updatedAt: string;
}

export interface PublishRepository {
  get(meetingKey: MeetingKey): Promise<PublishRecord | undefined>;
  /** Writes the record and the index of meetings with a pending publish (what a start finishes) together. */
  put(record: PublishRecord): Promise<void>;
  /** The meetings whose last publish is pending. */
  pending(): Promise<MeetingKey[]>;
}
