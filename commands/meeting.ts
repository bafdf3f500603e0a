import { ApplicationCommandOptionType, PermissionFlagsBits, escapeMarkdown } from 'discord.js';
import { UserError } from '../src/errors.ts';
import type { BotContext } from '../src/discord/context.ts';
import { discordTime, meetingHere, requireMaintainer, seriesHere } from '../src/discord/interaction-context.ts';
import type { Series } from '../src/config.ts';
import { answerEphemeral } from '../src/discord/answer.ts';
import { problemWords } from '../src/meetings/recover-thread.ts';
import type { CommandModule } from '../src/discord/command.ts';
import { publishOutcomeText, publishStatusLines } from '../src/meetings/publish-text.ts';

/** Status lists are cut so the reply stays under Discord's 2,000 characters. */
const LIST_LIMIT = 700;

function list(names: readonly string[]): string {
  if (names.length === 0) return 'nobody';
  let out = '';
  for (const [i, name] of names.entries()) {
    const next = `${out}${i === 0 ? '' : ', '}${escapeMarkdown(name)}`;
    if (next.length > LIST_LIMIT) return `${out} and ${names.length - i} more`;
    out = next;
  }
  return out;
}

function seriesToStart(ctx: BotContext, guildId: string | null, requested: string | null, here: Series | undefined): Series {
  const ofGuild = ctx.config.series.filter((s) => s.guild === guildId);
  if (requested !== null) {
    const found = ofGuild.find((s) => s.id === requested);
    if (!found) throw new UserError(`There is no series "${requested}" in this server. Series here: ${ofGuild.map((s) => s.id).join(', ') || 'none'}.`);
    return found;
  }
  if (here) return here;
  if (ofGuild.length === 1 && ofGuild[0]) return ofGuild[0];
  throw new UserError(`Say which series to start (series: ${ofGuild.map((s) => s.id).join(', ')}), or run this in the series' channel.`);
}

const meeting: CommandModule = {
  data: {
    name: 'meeting',
    description: 'Maintainers: start, end or inspect the meeting of this channel',
    dm_permission: false,
    default_member_permissions: PermissionFlagsBits.ManageThreads.toString(),
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'start',
        description: 'Open the meeting now (its thread, attendance, and its scheduled end)',
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: 'series',
            description: 'Which series to start; default the one of this channel',
            required: false,
            autocomplete: true,
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'end',
        description: 'End the meeting now: post the final notes, archive the thread, publish the notes if the series does',
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'status',
        description: 'Who has given an update, which attendees have not, and what was published where',
      },
    ],
  },
  maintainerOnly: true,
  ack: () => 'defer-ephemeral',

  async execute(interaction, ctx) {
    requireMaintainer(ctx, interaction, 'run /meeting');
    const sub = interaction.options.getSubcommand();
    if (sub === 'start') {
      const series = seriesToStart(ctx, interaction.guildId, interaction.options.getString('series'), seriesHere(ctx, interaction));
      const { meeting: opened, created } = await ctx.service.openMeeting(series);
      ctx.meetingOpened(series, opened);
      const thread = opened.threadId === undefined ? 'its thread' : `<#${opened.threadId}>`;
      await answerEphemeral(interaction, {
        content: created
          ? `Opened ${thread}. It ends ${discordTime(new Date(opened.endsAt))}.`
          : `The meeting of ${opened.localDate} is already ${opened.status === 'ended' ? 'over' : 'open'}: ${thread}.`,
      });
      return;
    }
    const current = await meetingHere(ctx, interaction);
    if (sub === 'end') {
      if (current.status === 'ended') throw new UserError('This meeting has already ended.');
      const { summary, threadProblem, publish } = await ctx.service.endMeeting(current.key, { interactive: true });
      const done = threadProblem
        ? `; its notes could not be posted (${problemWords(threadProblem)}): once that is fixed, /summary posts them`
        : `${summary?.posted ? `; posted revision ${summary.revision} of the notes` : ''} and archived its thread`;
      const ended = `Ended the meeting of ${current.localDate}${done}.`;
      await answerEphemeral(interaction, { content: [ended, publishOutcomeText(publish)].filter((line) => line !== '').join('\n') });
      return;
    }
    const [status, published] = await Promise.all([ctx.service.status(current.key), ctx.service.publishRecord(current.key)]);
    await answerEphemeral(interaction, {
      content: [
        `Meeting of ${current.localDate} (${current.status}), ends ${discordTime(new Date(current.endsAt))}.`,
        `${status.layout === 'discussion' ? 'Notes given by' : 'Updates given'} (${status.withUpdate.length}): ${list(status.withUpdate.map((p) => p.name))}`,
        `Attendees without ${status.layout === 'discussion' ? 'a note' : 'an update'} (${status.withoutUpdate.length}): ${list(status.withoutUpdate.map((p) => `${p.name} (${p.presenceMinutes} min)`))}`,
        ...publishStatusLines(published, ctx.service.seriesById(current.seriesId)?.publish !== undefined),
      ].join('\n'),
    });
  },

  async autocomplete(interaction, ctx) {
    const typed = interaction.options.getFocused().toLowerCase();
    const choices = ctx.config.series
      .filter((s) => s.guild === interaction.guildId && s.id.includes(typed))
      .slice(0, 25)
      .map((s) => ({ name: s.id, value: s.id }));
    await interaction.respond(choices);
  },
};

export default meeting;
