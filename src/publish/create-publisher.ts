/**
 * The publisher of each series, from its `publish` key: made once, shared by the series that publish to
 * the same place (one working clone per remote is used by one publisher only).
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Config, Series } from '../config.ts';
import type { Publisher } from './publisher.ts';

export interface PublisherLog {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export type PublisherFor = (series: Series) => Publisher | undefined;

/** `publisherFor(series)` for the service: undefined for a series without `publish`. */
export function createPublishers(config: Pick<Config, 'env' | 'publishTokens'>, log: PublisherLog): PublisherFor {
  const made = new Map<string, Publisher>();
  return (series) => {
    const publish = series.publish;
    if (publish === undefined) return undefined;
    const place = publish.kind === 'git' ? `git:${publish.remote}` : `github:${publish.repository}:${publish.base}:${publish.tokenEnv}`;
    let publisher = made.get(place);
    if (publisher === undefined) {
      if (publish.kind === 'git') {
        // The remote's hash names its clone: the URL itself may not be a valid or a safe file name.
        const dir = join(config.env.PUBLISH_DIR, createHash('sha256').update(publish.remote).digest('hex').slice(0, 16));
        publisher = loadedOnFirstUse(async () => (await import('./git.ts')).createGitPublisher({ remote: publish.remote, dir, log }));
      } else {
        // loadConfig refused a missing token at start; the token itself is never logged.
        const token = config.publishTokens?.[publish.tokenEnv];
        if (token === undefined) throw new Error(`the environment has no ${publish.tokenEnv} for github:${publish.repository}`);
        const options = { repository: publish.repository, base: publish.base, token, apiUrl: config.env.GITHUB_API_URL, log };
        publisher = loadedOnFirstUse(async () => (await import('./github.ts')).createGitHubPublisher(options));
      }
      made.set(place, publisher);
    }
    return publisher;
  };
}

/** simple-git and Octokit are loaded when a series first publishes: a Scribe that never does carries neither. */
function loadedOnFirstUse(make: () => Promise<Publisher>): Publisher {
  let made: Promise<Publisher> | undefined;
  return {
    publish: async (request) => {
      made ??= make();
      return (await made).publish(request);
    },
  };
}
