/**
 * keyv's default serializer (@keyv/serialize) walks every value in JavaScript, concatenating strings;
 * with a meeting's updates index rewritten on each new person's update, it was the store's largest
 * cost in a burst of 1,000 submissions. This writes the same text for what Scribe stores (plain JSON
 * data: no Buffers, no functions) with the native JSON.stringify, so keyv's default reader still
 * reads it, and what earlier versions stored reads the same: a string that starts with ':' gets a
 * second ':', which that reader removes.
 */
export function serializeRecord(data: unknown): string {
  // A replacer makes JSON.stringify call back into JavaScript for every value (a meeting's index of
  // 1,000 people is rewritten with each batch), so it runs only when the text shows a string that
  // starts with ':'. Such a string begins `":` right after `:`, `[` or `,` (or the start); a `"`
  // inside a string is always escaped, so the text of one cannot look like that. A key that starts
  // with ':' after a ',' looks like it too, and only costs the slow pass.
  const plain = JSON.stringify(data) ?? 'null';
  return LEADING_COLON_STRING.test(plain) ? (JSON.stringify(data, escapeLeadingColon) ?? 'null') : plain;
}

const LEADING_COLON_STRING = /(?:^|[:[,])":/;

function escapeLeadingColon(_key: string, value: unknown): unknown {
  return typeof value === 'string' && value.startsWith(':') ? `:${value}` : value;
}
