/** The name a person chose with `/name set`, kept per guild. */
import type { MeetingContext } from './context.ts';
import { resolveName, validateSetName, type NameSource } from './names.ts';
import type { MemberIdentity, NameRecord } from './records.ts';

export async function setName(ctx: MeetingContext, guildId: string, userId: string, raw: string): Promise<NameRecord> {
  const record: NameRecord = { guildId, userId, name: validateSetName(raw), setAt: ctx.clock.now().toISOString() };
  await ctx.store.names.put(record);
  return record;
}

export async function nameOf(ctx: MeetingContext, guildId: string, userId: string, identity: MemberIdentity): Promise<{ name: string; source: NameSource }> {
  const set = await ctx.store.names.get(guildId, userId);
  return resolveName(set?.name, identity, userId);
}
