/**
 * The one error the notes library throws for bad input. `code` lets callers branch (e.g. the bot picks a
 * reply), `message` is written for the person who typed the input, so it can be shown to them as is.
 */
export type NotesInputErrorCode = 'too-long' | 'too-many-bullets' | 'empty' | 'duplicate-label' | 'unknown-time-zone' | 'invalid-date' | 'invalid-time';

export class NotesInputError extends Error {
  readonly code: NotesInputErrorCode;

  constructor(code: NotesInputErrorCode, message: string) {
    super(message);
    this.name = 'NotesInputError';
    this.code = code;
  }
}
