/** An in-memory Discord for the meeting core: records every call, can be told to fail. */
import { ChannelUnavailableError } from '../../src/meetings/port-errors.ts';
import type { DiscordPort, OutgoingMessage, VoiceMember } from '../../src/meetings/ports.ts';

export interface PostedMessage extends OutgoingMessage {
  readonly id: string;
  readonly channelId: string;
}

export class FakePort implements DiscordPort {
  readonly threads: { id: string; parentId: string; name: string; archived: boolean }[] = [];
  readonly messages: PostedMessage[] = [];
  readonly calls: string[] = [];
  readonly voice = new Map<string, VoiceMember[]>();
  readonly channelNames = new Map<string, string>();
  /** Channels Scribe cannot use: a call about one throws its error, as the Discord port does. */
  readonly unusable = new Map<string, ChannelUnavailableError>();
  /** Makes the n-th next postMessage call (1-based) throw. */
  failPostAt: number | undefined;
  #nextId = 900_000_000_000_000_000n;

  #id(): string {
    this.#nextId += 1n;
    return this.#nextId.toString();
  }

  #refuse(channelId: string): void {
    const error = this.unusable.get(channelId);
    if (error) throw error;
  }

  /** Makes a channel unusable: deleted (`gone`) or without `missing` permissions. */
  refuse(channelId: string, problem: 'gone' | 'no-access', missing: readonly string[] = []): void {
    this.unusable.set(channelId, new ChannelUnavailableError(channelId, problem, missing));
  }

  async checkThread(threadId: string): Promise<void> {
    this.calls.push(`checkThread ${threadId}`);
    this.#refuse(threadId);
  }

  async createThread(parentId: string, name: string): Promise<string> {
    this.calls.push(`createThread ${name}`);
    this.#refuse(parentId);
    const id = this.#id();
    this.threads.push({ id, parentId, name, archived: false });
    return id;
  }

  async findThreadByName(parentId: string, name: string): Promise<string | null> {
    this.calls.push(`findThreadByName ${name}`);
    return this.threads.find((t) => t.parentId === parentId && t.name === name)?.id ?? null;
  }

  async postMessage(channelId: string, message: OutgoingMessage): Promise<string> {
    this.calls.push(`postMessage ${channelId}`);
    this.#refuse(channelId);
    if (this.failPostAt !== undefined) {
      this.failPostAt -= 1;
      if (this.failPostAt === 0) {
        this.failPostAt = undefined;
        throw new Error('Discord is down');
      }
    }
    const id = this.#id();
    this.messages.push({ ...message, id, channelId });
    return id;
  }

  async archiveThread(threadId: string): Promise<void> {
    this.calls.push(`archiveThread ${threadId}`);
    this.#refuse(threadId);
    const thread = this.threads.find((t) => t.id === threadId);
    if (thread) thread.archived = true;
  }

  async voiceMembers(channelId: string): Promise<VoiceMember[]> {
    return [...(this.voice.get(channelId) ?? [])];
  }

  async channelName(channelId: string): Promise<string | null> {
    return this.channelNames.get(channelId) ?? null;
  }
}
