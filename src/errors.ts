/**
 * An error whose message is written for the person who ran a command. The interaction router replies
 * with it ephemerally; anything else that is thrown becomes a generic apology and an error log.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}
