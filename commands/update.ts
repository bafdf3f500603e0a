import {
  ApplicationCommandOptionType,
  ComponentType,
  TextInputStyle,
  type APIModalInteractionResponseCallbackData,
  type ChatInputCommandInteraction,
  type ModalSubmitInteraction,
} from 'discord.js';
import { UserError } from '../src/errors.ts';
import { MAX_UPDATE_CHARS, parseUpdate } from '../src/notes/bullets.ts';
import type { BotContext } from '../src/discord/context.ts';
import { beforeDeadline, answerWithMarkdown, meetingHere, requireMaintainer, subjectOfCaller, subjectOfMember } from '../src/discord/interaction-context.ts';
import { notesFileNameFor, parseMeetingKey } from '../src/meetings/templates.ts';
import type { RecordedUpdate } from '../src/meetings/service.ts';
import type { CommandModule } from '../src/discord/command.ts';

const FIELD = 'bullets';
/** Time allowed to read what the form is pre-filled with, leaving room for the answer within 3 s. */
const FORM_DEADLINE_MS = 2_000;
const SLOW_STORE = 'The storage is slow to answer right now, so the form cannot be opened. Please try again in a minute.';
/** Discord's limits for a modal title and a text input's label. */
const TITLE_LIMIT = 45;

function modalFor(customId: string, title: string, current: string): APIModalInteractionResponseCallbackData {
  return {
    custom_id: customId,
    title: title.length > TITLE_LIMIT ? `${title.slice(0, TITLE_LIMIT - 1)}…` : title,
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: FIELD,
            label: 'One bullet a line; indent to continue',
            style: TextInputStyle.Paragraph,
            required: true,
            max_length: MAX_UPDATE_CHARS,
            placeholder: '* Reviewed the PL031 PR[1]\n* Fixed the build on arm64\n[1]: https://github.com/…',
            ...(current === '' ? {} : { value: current }),
          },
        ],
      },
    ],
  };
}

async function showSaved(
  interaction: ChatInputCommandInteraction | ModalSubmitInteraction,
  ctx: BotContext,
  saved: RecordedUpdate,
  forSomeoneElse: boolean,
): Promise<void> {
  // Named only when the preview is too long to show inline and comes as a file.
  const fileName = (): string => {
    const { seriesId, localDate } = parseMeetingKey(saved.record.meetingKey);
    const series = ctx.service.seriesById(seriesId);
    return series ? notesFileNameFor(series, localDate) : 'update.md';
  };
  const who = forSomeoneElse ? `${saved.record.name}'s update` : 'Your update';
  await answerWithMarkdown(interaction, `Saved. ${who}, as it will appear in the notes:`, saved.preview, fileName);
}

const update: CommandModule = {
  data: {
    name: 'update',
    description: 'Give your bullets for the meeting open here (opens a form), or add one bullet with text',
    dm_permission: false,
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'text',
        description: 'One bullet to add, without opening the form',
        max_length: 1000,
        required: false,
      },
      {
        type: ApplicationCommandOptionType.User,
        name: 'for',
        description: 'Maintainers only: give the update for another member',
        required: false,
      },
    ],
  },
  maintainerOnly: false,
  ack: (interaction) => (interaction.options.getString('text') === null ? 'none' : 'defer-ephemeral'),

  async execute(interaction, ctx) {
    const text = interaction.options.getString('text');
    const target = interaction.options.getUser('for');
    const forSomeoneElse = target !== null && target.id !== interaction.user.id;
    if (forSomeoneElse) requireMaintainer(ctx, interaction, 'give an update for someone else');

    // The form must be shown within Discord's 3 seconds, and it can only be shown once what it is
    // pre-filled with has been read: a store slower than that gets a clear answer instead of silence.
    const prepared = (async () => {
      const meeting = await meetingHere(ctx, interaction);
      const subject = forSomeoneElse ? await subjectOfMember(interaction, target.id) : subjectOfCaller(interaction);
      if (subject.bot) throw new UserError('Bots do not give updates; only people appear in the notes.');
      const current = text === null ? await ctx.service.currentUpdateText(meeting.key, subject.userId) : '';
      return { meeting, subject, current };
    })();
    const { meeting, subject, current } = text === null ? await beforeDeadline(prepared, FORM_DEADLINE_MS, SLOW_STORE) : await prepared;

    if (text !== null) {
      const addition = parseUpdate(text);
      // The service refuses an addition that would take the update past the form's limits.
      const saved = await ctx.service.recordUpdate(meeting.key, { subject, update: addition, authorId: interaction.user.id, mode: 'append' });
      await showSaved(interaction, ctx, saved, forSomeoneElse);
      return;
    }

    if (current.length > MAX_UPDATE_CHARS) {
      throw new UserError(
        `This update is ${current.length} characters long, more than the form holds (${MAX_UPDATE_CHARS}). Ask a maintainer to shorten it, or add bullets with /update text.`,
      );
    }
    const title = forSomeoneElse ? `Update for ${subject.identity.nick ?? subject.identity.displayName}` : 'Your update';
    // The interaction id makes each showing distinct: a person may have the form open on two devices.
    await interaction.showModal(modalFor(`update:${meeting.key}:${subject.userId}:${interaction.id}`, title, current));
  },

  async submitModal(interaction, ctx) {
    const [, key, userId] = interaction.customId.split(':');
    if (key === undefined || userId === undefined) throw new UserError('This form is from an older version of Scribe; run /update again.');
    const forSomeoneElse = userId !== interaction.user.id;
    if (forSomeoneElse) requireMaintainer(ctx, interaction, 'give an update for someone else');
    const meeting = await ctx.service.getMeeting(key);
    if (!meeting || meeting.guildId !== interaction.guildId) throw new UserError('That meeting is not known here; run /update again.');
    const subject = forSomeoneElse ? await subjectOfMember(interaction, userId) : subjectOfCaller(interaction);
    const parsed = parseUpdate(interaction.fields.getTextInputValue(FIELD));
    const saved = await ctx.service.recordUpdate(key, {
      subject,
      update: parsed,
      authorId: interaction.user.id,
      mode: 'replace',
      submissionId: interaction.id,
    });
    await showSaved(interaction, ctx, saved, forSomeoneElse);
  },
};

export default update;
