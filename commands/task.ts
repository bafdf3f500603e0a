import { ApplicationCommandOptionType, PermissionFlagsBits } from 'discord.js';
import { answerWithMarkdown, meetingHere, requireMaintainer, subjectOfMember } from '../src/discord/interaction-context.ts';
import type { CommandModule } from '../src/discord/command.ts';
import { MAX_LINE_CHARS } from '../src/meetings/discussion-text.ts';

const task: CommandModule = {
  data: {
    name: 'task',
    description: 'Maintainers, discussion meetings: record a task and its owners under TODOs and Decisions',
    dm_permission: false,
    default_member_permissions: PermissionFlagsBits.ManageThreads.toString(),
    options: [
      { type: ApplicationCommandOptionType.String, name: 'text', description: 'What is to be done, one line', required: true, max_length: MAX_LINE_CHARS },
      { type: ApplicationCommandOptionType.User, name: 'owner', description: 'Who does it (shown by initials)', required: true },
      { type: ApplicationCommandOptionType.User, name: 'owner2', description: 'A second owner', required: false },
    ],
  },
  maintainerOnly: true,
  ack: () => 'defer-ephemeral',

  async execute(interaction, ctx) {
    requireMaintainer(ctx, interaction, 'record a task');
    const meeting = await meetingHere(ctx, interaction);
    const ownerIds = [interaction.options.getUser('owner', true).id, interaction.options.getUser('owner2')?.id].filter((id) => id !== undefined);
    const owners = await Promise.all(ownerIds.map((id) => subjectOfMember(interaction, id)));
    const saved = await ctx.service.addTask(meeting.key, {
      id: interaction.id,
      owners,
      text: interaction.options.getString('text', true),
      authorId: interaction.user.id,
    });
    await answerWithMarkdown(interaction, 'Saved. The task, as it will appear in the notes:', saved.preview, () => 'task.md');
  },
};

export default task;
