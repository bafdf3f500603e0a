import { ApplicationCommandOptionType, PermissionFlagsBits } from 'discord.js';
import { answerWithMarkdown, meetingHere, requireMaintainer } from '../src/discord/interaction-context.ts';
import type { CommandModule } from '../src/discord/command.ts';
import { MAX_LINE_CHARS } from '../src/meetings/discussion-text.ts';

const decision: CommandModule = {
  data: {
    name: 'decision',
    description: 'Maintainers, discussion meetings: record a decision under TODOs and Decisions',
    dm_permission: false,
    default_member_permissions: PermissionFlagsBits.ManageThreads.toString(),
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'text',
        description: 'The decision, one sentence; not starting like a speaker turn ("AB: …")',
        required: true,
        max_length: MAX_LINE_CHARS,
      },
    ],
  },
  maintainerOnly: true,
  ack: () => 'defer-ephemeral',

  async execute(interaction, ctx) {
    requireMaintainer(ctx, interaction, 'record a decision');
    const meeting = await meetingHere(ctx, interaction);
    const saved = await ctx.service.addDecision(meeting.key, {
      id: interaction.id,
      text: interaction.options.getString('text', true),
      authorId: interaction.user.id,
    });
    await answerWithMarkdown(interaction, 'Saved. The decision, as it will appear in the notes:', saved.preview, () => 'decision.md');
  },
};

export default decision;
