import { ApplicationCommandOptionType, escapeMarkdown } from 'discord.js';
import { UserError } from '../src/errors.ts';
import { subjectOfCaller } from '../src/discord/interaction-context.ts';
import { MAX_NAME_LENGTH } from '../src/meetings/names.ts';
import { initialsOf } from '../src/meetings/initials.ts';
import { answerEphemeral } from '../src/discord/answer.ts';
import type { CommandModule } from '../src/discord/command.ts';

const SOURCES = {
  set: 'set with /name set',
  nick: 'your server nickname',
  display: 'your display name',
} as const;

const name: CommandModule = {
  data: {
    name: 'name',
    description: 'The name you appear under in the meeting notes of this server',
    dm_permission: false,
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'set',
        description: 'Choose the name you appear under in the notes (e.g. RazvanD)',
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: 'name',
            description: 'Your name in the notes',
            required: true,
            max_length: MAX_NAME_LENGTH,
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'show',
        description: 'Show the name you appear under in the notes, and where it comes from',
      },
    ],
  },
  maintainerOnly: false,
  ack: () => 'defer-ephemeral',

  async execute(interaction, ctx) {
    const guildId = interaction.guildId;
    if (guildId === null) throw new UserError('Names are kept per server; use this command in a server.');
    const caller = subjectOfCaller(interaction);
    if (interaction.options.getSubcommand() === 'set') {
      const record = await ctx.service.setName(guildId, caller.userId, interaction.options.getString('name', true));
      await answerEphemeral(interaction, {
        content: `You will appear in the notes as **${escapeMarkdown(record.name)}**. The notes use it from now on, for updates you already gave too.`,
      });
      return;
    }
    const { name: current, source } = await ctx.service.nameOf(guildId, caller.userId, caller.identity);
    // Discussion notes name speakers by initials; someone earlier in a meeting with the same ones makes them one letter longer.
    const initials = ctx.config.series.some((s) => s.guild === guildId && s.template === 'discussion')
      ? `; your initials in discussion notes: **${initialsOf(current)}**`
      : '';
    await answerEphemeral(interaction, { content: `You appear in the notes as **${escapeMarkdown(current)}** (${SOURCES[source]})${initials}.` });
  },
};

export default name;
