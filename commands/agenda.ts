import { ApplicationCommandOptionType, type APIApplicationCommandIntegerOption, type ChatInputCommandInteraction } from 'discord.js';
import { UserError } from '../src/errors.ts';
import type { BotContext } from '../src/discord/context.ts';
import { answerWithMarkdown, meetingHere, requireMaintainer, seriesHere } from '../src/discord/interaction-context.ts';
import type { CommandModule } from '../src/discord/command.ts';
import { MAX_AGENDA_ITEMS, MAX_LINE_CHARS } from '../src/meetings/discussion-text.ts';
import type { AgendaItem, MeetingKey } from '../src/meetings/records.ts';
import { parseMeetingKey } from '../src/meetings/templates.ts';

const itemOption = (description: string): APIApplicationCommandIntegerOption => ({
  type: ApplicationCommandOptionType.Integer,
  name: 'item',
  description,
  required: true,
  min_value: 1,
  max_value: MAX_AGENDA_ITEMS,
  autocomplete: true,
});

/**
 * The meeting whose agenda a command here edits: the meeting of this thread (or open in this channel),
 * else the series' next scheduled one, so that an agenda can be prepared before the meeting.
 */
async function agendaKeyHere(ctx: BotContext, interaction: ChatInputCommandInteraction): Promise<MeetingKey> {
  const channelId = interaction.channelId;
  const meeting = await ctx.service.meetingForChannel(channelId);
  if (meeting && meeting.status !== 'opening') return meeting.key;
  const series = seriesHere(ctx, interaction);
  // No series here: meetingHere says where meetings are held.
  if (!series) return (await meetingHere(ctx, interaction)).key;
  return ctx.service.agendaMeetingKey(series);
}

function shown(items: readonly AgendaItem[]): string {
  return items.length === 0 ? '(empty)\n' : items.map((item, i) => `${i + 1}. ${item.text}\n`).join('');
}

const agenda: CommandModule = {
  data: {
    name: 'agenda',
    description: "The discussion meeting's agenda: before or during the meeting",
    dm_permission: false,
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'add',
        description: 'Add an item at the end of the agenda',
        options: [{ type: ApplicationCommandOptionType.String, name: 'text', description: 'The item, one line', required: true, max_length: MAX_LINE_CHARS }],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'list', description: 'Show the agenda, with the numbers of its items' },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'move',
        description: 'Move an item to another position',
        options: [
          itemOption('The number of the item to move (see /agenda list)'),
          {
            type: ApplicationCommandOptionType.Integer,
            name: 'position',
            description: 'Its new position: 1 puts it first',
            required: true,
            min_value: 1,
            max_value: MAX_AGENDA_ITEMS,
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'remove',
        description: 'Remove an item',
        options: [itemOption('The number of the item to remove (see /agenda list)')],
      },
    ],
  },
  maintainerOnly: false,
  ack: () => 'defer-ephemeral',

  async execute(interaction, ctx) {
    const sub = interaction.options.getSubcommand();
    const key = await agendaKeyHere(ctx, interaction);
    const { localDate } = parseMeetingKey(key);
    const series = ctx.service.seriesById(parseMeetingKey(key).seriesId);
    if (sub !== 'list' && series?.agendaOpenToAll !== true) requireMaintainer(ctx, interaction, 'edit the agenda');
    const fileName = () => `agenda-${localDate}.md`;
    if (sub === 'list') {
      await answerWithMarkdown(interaction, `The agenda of the meeting of ${localDate}:`, shown(await ctx.service.agenda(key)), fileName);
      return;
    }
    if (sub === 'add') {
      const items = await ctx.service.addAgendaItem(key, interaction.options.getString('text', true), interaction.user.id);
      await answerWithMarkdown(interaction, `Added. The agenda of the meeting of ${localDate}:`, shown(items), fileName);
      return;
    }
    if (sub === 'move') {
      const items = await ctx.service.moveAgendaItem(key, interaction.options.getInteger('item', true), interaction.options.getInteger('position', true));
      await answerWithMarkdown(interaction, `Moved. The agenda of the meeting of ${localDate}:`, shown(items), fileName);
      return;
    }
    if (sub === 'remove') {
      const { agenda: items } = await ctx.service.removeAgendaItem(key, interaction.options.getInteger('item', true));
      await answerWithMarkdown(interaction, `Removed. The agenda of the meeting of ${localDate}:`, shown(items), fileName);
      return;
    }
    throw new UserError('This /agenda subcommand is not known to this version of Scribe.');
  },

  async autocomplete(interaction, ctx) {
    // The items as numbered choices; nothing when the meeting or its agenda is not found.
    const meeting = await ctx.service.meetingForChannel(interaction.channelId);
    const series = meeting ? ctx.service.seriesById(meeting.seriesId) : ctx.service.seriesForChannel(interaction.channelId);
    if (!series || series.template !== 'discussion') return interaction.respond([]);
    const key = meeting && meeting.status !== 'opening' ? meeting.key : await ctx.service.agendaMeetingKey(series);
    const items = await ctx.service.agenda(key);
    const typed = String(interaction.options.getFocused()).trim();
    const choices = items
      .map((item, i) => ({ name: `${i + 1}. ${item.text}`.slice(0, 100), value: i + 1 }))
      .filter((choice) => typed === '' || choice.name.startsWith(typed));
    await interaction.respond(choices.slice(0, 25));
  },
};

export default agenda;
