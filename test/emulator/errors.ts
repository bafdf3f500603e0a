// Discord's JSON error bodies. Field errors follow the "Invalid Form Body" shape:
// {code:50035, message:'Invalid Form Body', errors:{content:{_errors:[{code, message}]}}}.
import type { Json, JsonObject } from './model.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: JsonObject,
    /** Recorded in violations() under this kind (the bot did something Discord refuses). */
    readonly violation?: string,
  ) {
    super(message);
  }

  body(): JsonObject {
    const b: JsonObject = { message: this.message, code: this.code };
    if (this.errors) b['errors'] = this.errors;
    return b;
  }
}

export interface FieldError {
  /** Path into the body, e.g. ['embeds', 0, 'description']. */
  path: (string | number)[];
  code: string;
  message: string;
}

/** Builds the nested `errors` object from flat field errors. */
export function formErrors(list: FieldError[]): JsonObject {
  const root: JsonObject = {};
  for (const e of list) {
    let node: JsonObject = root;
    for (const key of e.path) {
      const k = String(key);
      const next = node[k];
      if (next && typeof next === 'object' && !Array.isArray(next)) {
        node = next;
      } else {
        const created: JsonObject = {};
        node[k] = created;
        node = created;
      }
    }
    const existing = node['_errors'];
    const entry: Json = { code: e.code, message: e.message };
    if (Array.isArray(existing)) existing.push(entry);
    else node['_errors'] = [entry];
  }
  return root;
}

export function invalidFormBody(list: FieldError[], violation = 'invalid-form-body'): ApiError {
  return new ApiError(400, 50035, 'Invalid Form Body', formErrors(list), violation);
}

export const Errors = {
  unauthorized: () => new ApiError(401, 0, '401: Unauthorized', undefined, 'unauthorized'),
  unknownChannel: () => new ApiError(404, 10003, 'Unknown Channel', undefined, 'unknown-channel'),
  unknownGuild: () => new ApiError(404, 10004, 'Unknown Guild', undefined, 'unknown-guild'),
  unknownMessage: () => new ApiError(404, 10008, 'Unknown Message', undefined, 'unknown-message'),
  unknownMember: () => new ApiError(404, 10007, 'Unknown Member', undefined, 'unknown-member'),
  unknownWebhook: () => new ApiError(404, 10015, 'Unknown Webhook', undefined, 'unknown-webhook'),
  invalidWebhookToken: () => new ApiError(401, 50027, 'Invalid Webhook Token', undefined, 'invalid-webhook-token'),
  unknownCommand: () => new ApiError(404, 10063, 'Unknown application command', undefined, 'unknown-command'),
  unknownInteraction: (violation = 'unknown-interaction') => new ApiError(404, 10062, 'Unknown interaction', undefined, violation),
  alreadyAcknowledged: () => new ApiError(400, 40060, 'Interaction has already been acknowledged.', undefined, 'second-ack'),
  emptyMessage: () => new ApiError(400, 50006, 'Cannot send an empty message', undefined, 'empty-message'),
  missingPermissions: () => new ApiError(403, 50013, 'Missing Permissions', undefined, 'missing-permissions'),
  missingAccess: () => new ApiError(403, 50001, 'Missing Access', undefined, 'missing-access'),
  wrongChannelType: () => new ApiError(400, 50024, 'Cannot execute action on this channel type', undefined, 'wrong-channel-type'),
  archivedThread: () => new ApiError(400, 50083, 'Thread is archived', undefined, 'archived-thread'),
  threadAlreadyCreated: () => new ApiError(400, 160004, 'A thread has already been created for this message', undefined, 'thread-exists'),
  tooLarge: () => new ApiError(413, 40005, 'Request entity too large', undefined, 'request-too-large'),
  notFound: () => new ApiError(404, 0, '404: Not Found', undefined, 'unknown-route'),
  methodNotAllowed: () => new ApiError(405, 0, '405: Method Not Allowed', undefined, 'unknown-route'),
} as const;
