import { Writable } from 'node:stream';
import { DiscordAPIError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.ts';

function capture(): { lines: () => Record<string, unknown>[]; text: () => string; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const text = () => chunks.join('');
  return {
    stream,
    text,
    lines: () =>
      text()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

const interactionToken = 'aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OnNlY3JldA';
const url = `https://discord.com/api/v10/webhooks/111111111111111111/${interactionToken}/messages/@original`;
const typed = 'my private update text';

function restError(): DiscordAPIError {
  return new DiscordAPIError({ code: 10015, message: 'Unknown Webhook' }, 10015, 404, 'PATCH', url, { body: { content: typed }, files: [] });
}

describe('createLogger', () => {
  it('logs a discord.js REST error without the request body or the interaction token in its URL', () => {
    const out = capture();
    const log = createLogger({ destination: out.stream });
    log.warn({ err: restError(), interaction: '42' }, 'could not tell the user about an error');
    expect(out.text()).not.toContain(interactionToken);
    expect(out.text()).not.toContain(typed);
    const [line] = out.lines();
    const err = line?.['err'] as Record<string, unknown>;
    expect(err['url']).toBe('https://discord.com/api/v10/webhooks/111111111111111111/[redacted]/messages/@original');
    expect(err['requestBody']).toBe('[redacted]');
    expect(err['status']).toBe(404);
    expect(err['message']).toBe('Unknown Webhook');
    expect(line?.['interaction']).toBe('42');
  });

  it('scrubs a REST error that is the cause of another', () => {
    const out = capture();
    const log = createLogger({ destination: out.stream });
    log.error({ err: new Error('the interaction could not be deferred', { cause: restError() }) }, 'failed');
    expect(out.text()).toContain('the interaction could not be deferred');
    expect(out.text()).not.toContain(interactionToken);
    expect(out.text()).not.toContain(typed);
  });

  it('censors a token or a config logged whole, and leaves other lines as they are', () => {
    const out = capture();
    const log = createLogger({ destination: out.stream });
    log.info({ token: 'bot-token-1' }, 'a');
    log.info({ config: { env: { DISCORD_TOKEN: 'bot-token-2', LOG_LEVEL: 'info' } } }, 'b');
    log.info({ meeting: 'weekly:2026-11-28', userId: '7', bullets: 3 }, 'update recorded');
    expect(out.text()).not.toMatch(/bot-token-[12]/);
    const [, config, plain] = out.lines();
    expect(config?.['config']).toEqual({ env: { DISCORD_TOKEN: '[redacted]', LOG_LEVEL: 'info' } });
    expect(plain).toMatchObject({ msg: 'update recorded', meeting: 'weekly:2026-11-28', userId: '7', bullets: 3 });
  });
});
