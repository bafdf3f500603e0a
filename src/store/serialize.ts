/**
 * keyv's default serializer (@keyv/serialize) walks every value in JavaScript, concatenating strings;
 * with a meeting's updates index rewritten on each new person's update, it was the store's largest
 * cost in a burst of 1,000 submissions. This writes the same text for what Scribe stores (plain JSON
 * data: no Buffers, no functions) with the native JSON.stringify, so keyv's default reader still
 * reads it, and what earlier versions stored reads the same: a string that starts with ':' gets a
 * second ':', which that reader removes.
 */
export function serializeRecord(data: unknown): string {
  return JSON.stringify(data, escapeLeadingColon) ?? 'null';
}

function escapeLeadingColon(_key: string, value: unknown): unknown {
  return typeof value === 'string' && value.startsWith(':') ? `:${value}` : value;
}
