/**
 * The environment keys of sharding (issue 21), part of the one env schema in config.ts. People set
 * SCRIBE_SHARDS and SCRIBE_SHARD_LIST; SHARDS and SHARD_COUNT are set by the shard manager for each
 * shard process (discord.js's client reads them too), never by hand.
 */
import { z } from 'zod';

const wholeNumber = /^\d+$/;

export const shardEnvFields = {
  SCRIBE_SHARDS: z
    .string()
    .regex(/^(auto|[1-9]\d*)$/, 'must be auto (ask Discord how many) or the total number of shards, e.g. 2')
    .transform((value) => (value === 'auto' ? ('auto' as const) : Number(value)))
    .optional(),
  SCRIBE_SHARD_LIST: z
    .string()
    .regex(/^\d+(,\d+)*$/, 'must be the shard ids this machine runs, separated by commas, e.g. 0,1')
    .transform((value) => [...new Set(value.split(',').map(Number))])
    .optional(),
  METRICS_PORT: z
    .string()
    .regex(wholeNumber, 'must be a port number, e.g. 9464 (shard i listens on METRICS_PORT + i)')
    .transform(Number)
    .pipe(z.number().min(1, 'must be a port number from 1 to 65535').max(65_535, 'must be a port number from 1 to 65535'))
    .optional(),
  SHARDS: z
    .string()
    .transform((value, ctx) => {
      try {
        const parsed: unknown = JSON.parse(value);
        const ids = typeof parsed === 'number' ? [parsed] : parsed;
        if (Array.isArray(ids) && ids.length > 0 && ids.every((id) => Number.isInteger(id) && id >= 0)) return ids as number[];
      } catch {
        // Reported below.
      }
      ctx.addIssue({ code: 'custom', message: 'is set by the shard manager (a JSON list of shard ids); unset it when starting Scribe yourself' });
      return z.NEVER;
    })
    .optional(),
  SHARD_COUNT: z.string().regex(wholeNumber, 'is set by the shard manager (the total number of shards); unset it').transform(Number).optional(),
};

interface ShardEnv {
  readonly SCRIBE_SHARDS?: number | 'auto' | undefined;
  readonly SCRIBE_SHARD_LIST?: readonly number[] | undefined;
  readonly STORE_URL: string;
}

/** Checks across keys: a shard list needs a numeric total it fits in; SQLite is one process's file. */
export function checkShardEnv(env: ShardEnv, ctx: z.core.$RefinementCtx<ShardEnv>): void {
  const total = env.SCRIBE_SHARDS;
  const list = env.SCRIBE_SHARD_LIST;
  if (list !== undefined && total === undefined) {
    ctx.addIssue({ code: 'custom', path: ['SCRIBE_SHARD_LIST'], message: 'needs SCRIBE_SHARDS, the total number of shards across all machines, e.g. 2' });
  }
  if (list !== undefined && total === 'auto') {
    ctx.addIssue({ code: 'custom', path: ['SCRIBE_SHARD_LIST'], message: 'needs SCRIBE_SHARDS as a number (machines must agree on the total), not auto' });
  }
  if (list !== undefined && typeof total === 'number') {
    const outside = list.filter((id) => id >= total);
    if (outside.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['SCRIBE_SHARD_LIST'], message: `names shard ${outside.join(', ')}, but shards are numbered 0 to ${total - 1}` });
    }
  }
  // Even one shard per machine needs a shared store: a guild's meetings must survive a change of layout.
  if (total !== undefined && total !== 1 && env.STORE_URL.startsWith('sqlite:')) {
    ctx.addIssue({
      code: 'custom',
      path: ['STORE_URL'],
      message:
        "sqlite:// is one process's file; shards are separate processes (maybe on separate machines), so use redis:// or postgres:// (or leave SCRIBE_SHARDS unset)",
    });
  }
}
