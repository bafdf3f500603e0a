import { ApplicationCommandOptionType, AttachmentBuilder, PermissionFlagsBits } from 'discord.js';
import { meetingHere, requireMaintainer } from '../src/discord/interaction-context.ts';
import { answerEphemeral } from '../src/discord/answer.ts';
import type { CommandModule } from '../src/discord/command.ts';
import { UserError } from '../src/errors.ts';
import { problemWords } from '../src/meetings/recover-thread.ts';
import { ChannelUnavailableError, type PublishOutcome, type SummaryResult } from '../src/meetings/service.ts';
import { publishOutcomeText } from '../src/meetings/publish-text.ts';

const summary: CommandModule = {
  data: {
    name: 'summary',
    description: 'Maintainers: compile the notes of the meeting open here and post them in its thread',
    dm_permission: false,
    default_member_permissions: PermissionFlagsBits.ManageThreads.toString(),
    options: [
      {
        type: ApplicationCommandOptionType.Boolean,
        name: 'preview',
        description: 'Show the notes only to you instead of posting them',
        required: false,
      },
      {
        type: ApplicationCommandOptionType.Boolean,
        name: 'publish',
        description: "Also commit this revision to the series' notes repository (a pull request on GitHub)",
        required: false,
      },
    ],
  },
  maintainerOnly: true,
  ack: () => 'defer-ephemeral',

  async execute(interaction, ctx) {
    requireMaintainer(ctx, interaction, 'post the notes');
    const meeting = await meetingHere(ctx, interaction);
    if (interaction.options.getBoolean('preview') === true) {
      const compiled = await ctx.service.compile(meeting.key);
      const size =
        compiled.layout === 'activities'
          ? `${compiled.notes.blocks.length} blocks`
          : `${compiled.notes.discussion.filter((b) => b.kind === 'turn').length} turns, ${compiled.notes.todos.length} tasks and decisions`;
      await answerEphemeral(interaction, {
        content: `Preview of the notes (${size}, ${compiled.notes.participants.length} participants); nothing was posted.`,
        files: [new AttachmentBuilder(Buffer.from(compiled.text, 'utf8'), { name: compiled.fileName })],
      });
      return;
    }
    const publish = interaction.options.getBoolean('publish') === true;
    if (publish && ctx.service.seriesById(meeting.seriesId)?.publish === undefined) {
      throw new UserError('This series publishes nowhere: add a publish key to its configuration (see config/example.yaml).');
    }
    let result: SummaryResult;
    let published: PublishOutcome = { status: 'off' };
    try {
      if (publish) ({ summary: result, publish: published } = await ctx.service.publishSummary(meeting.key));
      else result = await ctx.service.postSummary(meeting.key);
    } catch (error) {
      if (!(error instanceof ChannelUnavailableError)) throw error;
      const fix = error.problem === 'no-access' ? " (in the server's settings: Scribe's role, or the channel's permissions)" : '';
      throw new UserError(
        `The notes were not posted: ${problemWords(error)}. Nothing is lost: every update is kept, and /summary posts them once that is fixed${fix}.`,
      );
    }
    const threadId = result.compiled.meeting.threadId;
    const where = threadId === undefined ? 'the meeting thread' : `<#${threadId}>`;
    // The thread was deleted: the notes went to the new one this meeting now has.
    const moved = threadId !== meeting.threadId ? ' The earlier thread was deleted; this one replaces it.' : '';
    const posted = result.posted
      ? `Posted revision ${result.revision} of the notes in ${where} (${result.messageIds.length} message${result.messageIds.length === 1 ? '' : 's'}, ${result.compiled.fileName} attached).${moved}`
      : `Nothing changed since revision ${result.revision}, already posted in ${where}.`;
    await answerEphemeral(interaction, { content: [posted, publishOutcomeText(published)].filter((line) => line !== '').join('\n') });
  },
};

export default summary;
