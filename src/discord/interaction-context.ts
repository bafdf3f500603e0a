import {
  AttachmentBuilder,
  GuildMember,
  type ChatInputCommandInteraction,
  type GuildMember as GuildMemberType,
  type ModalSubmitInteraction,
  type RepliableInteraction,
} from 'discord.js';
import type { Series } from '../config.ts';
import { UserError } from '../errors.ts';
import type { Subject } from '../meetings/service.ts';
import type { MeetingRecord } from '../meetings/records.ts';
import type { BotContext } from './context.ts';
import { answerEphemeral } from './answer.ts';
import { identityOf } from './port.ts';
import { isMaintainer } from './router.ts';

type GuildInteraction = ChatInputCommandInteraction | ModalSubmitInteraction;

/** The channel a command is about: a thread counts as its parent channel. */
function seriesChannelId(interaction: RepliableInteraction): string | null {
  const channel = interaction.channel;
  if (channel?.isThread()) return channel.parentId;
  return interaction.channelId;
}

/** The series whose text or voice channel (or a thread in it) the command was used in. */
export function seriesHere(ctx: BotContext, interaction: RepliableInteraction): Series | undefined {
  const channelId = seriesChannelId(interaction);
  return channelId === null ? undefined : ctx.service.seriesForChannel(channelId);
}

/** Discord renders `<t:…:F>` in each reader's own time zone. */
export function discordTime(at: Date, style: 'F' | 'R' | 't' = 'F'): string {
  return `<t:${Math.floor(at.getTime() / 1000)}:${style}>`;
}

/** The meeting a command in this channel is about, or a UserError saying there is none and when the next opens. */
export async function meetingHere(ctx: BotContext, interaction: RepliableInteraction): Promise<MeetingRecord> {
  const channelId = interaction.channelId;
  const meeting = channelId === null ? undefined : await ctx.service.meetingForChannel(channelId);
  // Once its thread exists people can use it: the rest of the opening (welcome, attendance) may still be on its way.
  if (meeting && (meeting.status !== 'opening' || meeting.threadId !== undefined)) return meeting;
  if (meeting) throw new UserError('The meeting here is still opening. Try again in a moment.');
  const series = seriesHere(ctx, interaction);
  const opening = series ? await openingWhoseThreadThisIs(ctx, series, interaction) : undefined;
  if (opening) return opening;
  if (!series) {
    const channels = ctx.config.series
      .filter((s) => s.guild === interaction.guildId)
      .map((s) => `<#${s.textChannel}>`)
      .join(', ');
    throw new UserError(`No meeting is held in this channel. Meetings happen in ${channels || 'no channel of this server'}.`);
  }
  const next = ctx.service.nextOpen(series);
  throw new UserError(
    `No meeting is open here right now. ${next ? `The next one opens ${discordTime(next)} (${discordTime(next, 'R')}).` : 'None is scheduled.'}`,
  );
}

/**
 * A thread the bot has just created for the series' opening meeting, which the opening has not recorded
 * yet: Discord announces the thread to members as soon as it exists, so a command may come first.
 */
async function openingWhoseThreadThisIs(ctx: BotContext, series: Series, interaction: RepliableInteraction): Promise<MeetingRecord | undefined> {
  const channel = interaction.channel;
  if (!channel?.isThread() || channel.ownerId !== interaction.client.user.id) return undefined;
  const current = await ctx.service.currentMeeting(series);
  if (current === undefined) return undefined;
  // Its id saved but not yet indexed by thread, or not even saved: then the thread is known by its name.
  const named =
    current.status === 'opening' && current.threadId === undefined && current.parentChannelId === channel.parentId && current.threadName === channel.name;
  return current.threadId === channel.id || named ? current : undefined;
}

function memberOf(interaction: GuildInteraction): GuildMemberType | null {
  return interaction.member instanceof GuildMember ? interaction.member : null;
}

/** Refuses (as a UserError) anyone who is not a maintainer of the series used here (or of any series of this guild). */
export function requireMaintainer(ctx: BotContext, interaction: GuildInteraction, what: string): void {
  const series = seriesHere(ctx, interaction);
  const roles = series ? series.maintainerRoles : ctx.config.series.filter((s) => s.guild === interaction.guildId).flatMap((s) => s.maintainerRoles);
  const permissions = interaction.memberPermissions?.bitfield ?? null;
  if (!isMaintainer(memberOf(interaction), roles, permissions)) {
    throw new UserError(`Only the meeting's maintainers can ${what}.`);
  }
}

/** The person running the command, as the meeting core knows people. */
export function subjectOfCaller(interaction: GuildInteraction): Subject {
  const member = memberOf(interaction);
  if (member) return { userId: member.id, identity: identityOf(member), bot: member.user.bot };
  const user = interaction.user;
  return { userId: user.id, identity: { displayName: user.globalName ?? user.username }, bot: user.bot };
}

/** Another member of the guild (for `/update for:`). */
export async function subjectOfMember(interaction: GuildInteraction, userId: string): Promise<Subject> {
  const guild = interaction.guild;
  const member = guild ? (guild.members.cache.get(userId) ?? (await guild.members.fetch(userId).catch(() => null))) : null;
  if (!member) throw new UserError('That person is not a member of this server.');
  return { userId: member.id, identity: identityOf(member), bot: member.user.bot };
}

const MESSAGE_LIMIT = 2000;

/**
 * Shows Markdown exactly as written, in a code block so Discord does not render it. When it does not
 * fit in one message, it comes as an attached file instead, named by `fileName()` (asked only then).
 */
export async function answerWithMarkdown(interaction: RepliableInteraction, intro: string, markdown: string, fileName: () => string): Promise<void> {
  // A fence inside the text would end the code block early; a zero-width space keeps it literal on screen.
  const shown = markdown.replaceAll('```', '`\u200b``');
  const inline = `${intro}\n\`\`\`md\n${shown}\`\`\``;
  if (inline.length <= MESSAGE_LIMIT) {
    await answerEphemeral(interaction, { content: inline });
    return;
  }
  await answerEphemeral(interaction, {
    content: `${intro}\n(Too long to show here: it is in the attached file.)`,
    files: [new AttachmentBuilder(Buffer.from(markdown, 'utf8'), { name: fileName() })],
  });
}

/** `work`, or a UserError with `message` if it takes longer than `ms` (the work itself goes on). */
export async function beforeDeadline<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new UserError(message)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
    // A late failure of the abandoned work is not an unhandled rejection.
    work.catch(() => undefined);
  }
}
