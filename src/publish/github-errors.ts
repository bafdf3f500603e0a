import { PublishRefused } from './publisher.js';

/** What Octokit throws for an HTTP answer (its RequestError), read by shape so no internal package is imported. */
export interface HttpFailure {
  readonly status: number;
  readonly message: string;
  readonly response?: { readonly headers?: Readonly<Record<string, string | number | undefined>> };
}

export function httpFailure(error: unknown): HttpFailure | undefined {
  if (!(error instanceof Error) || !('status' in error) || typeof error.status !== 'number') return undefined;
  return error as Error & HttpFailure;
}

/** True for an HTTP answer with this status whose message matches (GitHub words its 422s in the message). */
export function isFailure(error: unknown, status: number, message?: RegExp): boolean {
  const failure = httpFailure(error);
  return failure !== undefined && failure.status === status && (message === undefined || message.test(failure.message));
}

function isRateLimit(failure: HttpFailure): boolean {
  const remaining = failure.response?.headers?.['x-ratelimit-remaining'];
  return String(remaining) === '0' || /rate limit/i.test(failure.message);
}

/**
 * A publish that failed at `step`, worded for a maintainer. Refusals that retrying cannot change (401, a
 * 403 that is not a rate limit, the repository or base branch missing) become PublishRefused; anything
 * else is a plain Error that Scribe retries later. Octokit's errors already carry the token redacted;
 * the messages here name the repository and the step, never a credential.
 */
export function describeFailure(error: unknown, step: string, repository: string): Error {
  if (error instanceof PublishRefused) return error;
  const failure = httpFailure(error);
  if (failure === undefined) {
    const reason = error instanceof Error ? error.message : String(error);
    return new Error(`GitHub publish of ${repository} failed while ${step}: ${reason}`, { cause: error });
  }
  const answer = `${failure.status} ${failure.message}`;
  if (failure.status === 401) {
    return new PublishRefused(`GitHub refused the token for ${repository} (${answer}); set a valid token in the series' tokenEnv variable`, {
      cause: error,
    });
  }
  if (failure.status === 404 && step === 'reading the repository') {
    return new PublishRefused(`GitHub has no repository ${repository}, or the token cannot see it (${answer})`, { cause: error });
  }
  if (failure.status === 403 && !isRateLimit(failure)) {
    return new PublishRefused(`GitHub refused ${step} in ${repository} (${answer}); the token needs write access to contents and pull requests`, {
      cause: error,
    });
  }
  return new Error(`GitHub publish of ${repository} failed while ${step}: ${answer}`, { cause: error });
}
