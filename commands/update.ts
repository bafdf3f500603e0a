import {
  ApplicationCommandOptionType,
  ComponentType,
  TextInputStyle,
  type APIModalInteractionResponseCallbackData,
  type APITextInputComponent,
  type ChatInputCommandInteraction,
  type ModalSubmitInteraction,
} from 'discord.js';
import { UserError } from '../src/errors.ts';
import { MAX_UPDATE_CHARS, parseUpdate } from '../src/notes/bullets.ts';
import type { BotContext } from '../src/discord/context.ts';
import { beforeDeadline, answerWithMarkdown, meetingHere, requireMaintainer, subjectOfCaller, subjectOfMember } from '../src/discord/interaction-context.ts';
import { notesFileNameFor, parseMeetingKey } from '../src/meetings/templates.ts';
import type { RecordedUpdate, Subject } from '../src/meetings/service.ts';
import type { CommandModule } from '../src/discord/command.ts';
import { MAX_NOTE_CHARS, MAX_TOPIC_CHARS } from '../src/meetings/discussion-text.ts';
import type { MeetingRecord } from '../src/meetings/records.ts';
import { problemWords } from '../src/meetings/recover-thread.ts';

const FIELD = 'bullets';
/** The fields of the discussion note form. */
const NOTE_FIELD = 'note';
const TOPIC_FIELD = 'topic';
/** Time allowed to read what the form is pre-filled with, leaving room for the answer within 3 s. */
const FORM_DEADLINE_MS = 2_000;
const SLOW_STORE = 'The storage is slow to answer right now, so the form cannot be opened. Please try again in a minute.';
/** Discord's limits for a modal title and a text input's label. */
const TITLE_LIMIT = 45;

/** A form: one text input a row (Discord's rule), the title cut to Discord's limit. */
function form(customId: string, title: string, inputs: readonly APITextInputComponent[]): APIModalInteractionResponseCallbackData {
  return {
    custom_id: customId,
    title: title.length > TITLE_LIMIT ? `${title.slice(0, TITLE_LIMIT - 1)}…` : title,
    components: inputs.map((input) => ({ type: ComponentType.ActionRow, components: [input] })),
  };
}

function modalFor(customId: string, title: string, current: string): APIModalInteractionResponseCallbackData {
  return form(customId, title, [
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
  ]);
}

function noteModalFor(customId: string, title: string, topic: string | null): APIModalInteractionResponseCallbackData {
  return form(customId, title, [
    {
      type: ComponentType.TextInput,
      custom_id: NOTE_FIELD,
      label: 'What was said (one sentence a line)',
      style: TextInputStyle.Paragraph,
      required: true,
      max_length: MAX_NOTE_CHARS,
      placeholder: 'I started allocating different sizes.\nIt only works with one page size.',
    },
    {
      type: ComponentType.TextInput,
      custom_id: TOPIC_FIELD,
      label: 'Topic (optional): its ### heading',
      style: TextInputStyle.Short,
      required: false,
      max_length: MAX_TOPIC_CHARS,
      ...(topic === null ? {} : { value: topic }),
    },
  ]);
}

/**
 * A line before the answer when the meeting's thread was lost (deleted, or Scribe's permissions taken
 * away): the thread recovered now, or why not yet. The update is saved either way.
 */
async function threadNotice(ctx: BotContext, meeting: MeetingRecord): Promise<string> {
  if (meeting.threadLost === undefined) return '';
  const thread = await ctx.service.threadState(meeting.key);
  if (thread.state === 'lost')
    return `Scribe cannot post in this meeting's thread right now: ${problemWords(thread.error)}. What you give is kept all the same.\n`;
  if (thread.threadId === meeting.threadId) return `Scribe can post in <#${thread.threadId}> again.\n`;
  return `This meeting's thread was deleted; it goes on in <#${thread.threadId}>.\n`;
}

function isDiscussion(ctx: BotContext, meeting: MeetingRecord): boolean {
  return ctx.service.seriesById(meeting.seriesId)?.template === 'discussion';
}

/** Adds a discussion note and answers with it as the notes will show it. */
async function saveNote(
  interaction: ChatInputCommandInteraction | ModalSubmitInteraction,
  ctx: BotContext,
  meeting: MeetingRecord,
  note: { subject: Subject; text: string; topic: string | null; forSomeoneElse: boolean },
): Promise<void> {
  const saved = await ctx.service.addNote(meeting.key, {
    id: interaction.id,
    subject: note.subject,
    authorId: interaction.user.id,
    text: note.text,
    topic: note.topic,
  });
  const who = note.forSomeoneElse ? `The note for ${note.subject.identity.nick ?? note.subject.identity.displayName}` : 'Your note';
  const notice = await threadNotice(ctx, meeting);
  await answerWithMarkdown(interaction, `${notice}Saved. ${who}, as it will appear in the notes:`, saved.preview, () => 'note.md');
}

async function showSaved(
  interaction: ChatInputCommandInteraction | ModalSubmitInteraction,
  ctx: BotContext,
  saved: RecordedUpdate,
  forSomeoneElse: boolean,
  meeting: MeetingRecord,
): Promise<void> {
  // Named only when the preview is too long to show inline and comes as a file.
  const fileName = (): string => {
    const { seriesId, localDate } = parseMeetingKey(saved.record.meetingKey);
    const series = ctx.service.seriesById(seriesId);
    return series ? notesFileNameFor(series, localDate) : 'update.md';
  };
  const who = forSomeoneElse ? `${saved.record.name}'s update` : 'Your update';
  const notice = await threadNotice(ctx, meeting);
  await answerWithMarkdown(interaction, `${notice}Saved. ${who}, as it will appear in the notes:`, saved.preview, fileName);
}

const update: CommandModule = {
  data: {
    name: 'update',
    description: 'Give your bullets (a form), or in a discussion meeting add a note of what you said',
    dm_permission: false,
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: 'text',
        description: 'One bullet or note to add without the form; a note is always your own turn, even "AB: …"',
        max_length: 1000,
        required: false,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: 'topic',
        description: 'Discussion meetings: the topic (### heading) the note goes under',
        max_length: MAX_TOPIC_CHARS,
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
    const topic = interaction.options.getString('topic');
    const target = interaction.options.getUser('for');
    const forSomeoneElse = target !== null && target.id !== interaction.user.id;
    if (forSomeoneElse) requireMaintainer(ctx, interaction, 'give an update for someone else');

    // The form must be shown within Discord's 3 seconds, and it can only be shown once what it is
    // pre-filled with has been read: a store slower than that gets a clear answer instead of silence.
    const prepared = (async () => {
      const meeting = await meetingHere(ctx, interaction);
      const subject = forSomeoneElse ? await subjectOfMember(interaction, target.id) : subjectOfCaller(interaction);
      if (subject.bot) throw new UserError('Bots do not give updates; only people appear in the notes.');
      if (isDiscussion(ctx, meeting)) return { meeting, subject, current: '', discussion: true };
      if (topic !== null) throw new UserError('topic: is for meetings in the discussion layout; this meeting has one block of bullets per person.');
      const current = text === null ? await ctx.service.currentUpdateText(meeting.key, subject.userId) : '';
      return { meeting, subject, current, discussion: false };
    })();
    const { meeting, subject, current, discussion } = text === null ? await beforeDeadline(prepared, FORM_DEADLINE_MS, SLOW_STORE) : await prepared;

    if (discussion) {
      if (text !== null) {
        await saveNote(interaction, ctx, meeting, { subject, text, topic, forSomeoneElse });
        return;
      }
      const title = forSomeoneElse ? `Note for ${subject.identity.nick ?? subject.identity.displayName}` : 'Your note';
      await interaction.showModal(noteModalFor(`update:${meeting.key}:${subject.userId}:${interaction.id}`, title, topic));
      return;
    }

    if (text !== null) {
      const addition = parseUpdate(text);
      // The service refuses an addition that would take the update past the form's limits.
      const saved = await ctx.service.recordUpdate(meeting.key, { subject, update: addition, authorId: interaction.user.id, mode: 'append' });
      await showSaved(interaction, ctx, saved, forSomeoneElse, meeting);
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
    if (isDiscussion(ctx, meeting)) {
      // An optional field left empty may be left out of the submission.
      const topic = interaction.fields.fields.has(TOPIC_FIELD) ? interaction.fields.getTextInputValue(TOPIC_FIELD) : null;
      await saveNote(interaction, ctx, meeting, { subject, text: interaction.fields.getTextInputValue(NOTE_FIELD), topic, forSomeoneElse });
      return;
    }
    const parsed = parseUpdate(interaction.fields.getTextInputValue(FIELD));
    const saved = await ctx.service.recordUpdate(key, {
      subject,
      update: parsed,
      authorId: interaction.user.id,
      mode: 'replace',
      submissionId: interaction.id,
    });
    await showSaved(interaction, ctx, saved, forSomeoneElse, meeting);
  },
};

export default update;
