import { MessageFlags, MessagePayload, Routes, type AttachmentBuilder, type RepliableInteraction } from 'discord.js';
import { interactionRest } from './interaction-rest.ts';
import { nextTurn } from './turns.ts';

export interface Answer {
  readonly content: string;
  readonly files?: readonly AttachmentBuilder[];
}

/** Interactions Discord refused to acknowledge: nothing more can be sent for them, not even an apology. */
const unacknowledged = new WeakSet<RepliableInteraction>();

/**
 * Defers the interaction's reply, ephemerally. Resolves with Discord's refusal when it refused or never
 * answered (undefined otherwise): the work still runs (a form is saved all the same), but unanswered.
 */
export async function acknowledge(interaction: RepliableInteraction): Promise<unknown> {
  try {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    return undefined;
  } catch (error) {
    unacknowledged.add(interaction);
    return error;
  }
}

/**
 * The one way Scribe answers an interaction it has not shown a form for: an ephemeral reply if it is
 * not acknowledged yet, else the edit of its deferred reply.
 */
export async function answerEphemeral(interaction: RepliableInteraction, answer: Answer): Promise<void> {
  if (unacknowledged.has(interaction)) return;
  const files = answer.files ? [...answer.files] : [];
  if (!interaction.deferred && !interaction.replied) {
    await interaction.reply({ content: answer.content, files, flags: MessageFlags.Ephemeral });
    return;
  }
  await nextTurn();
  // What `interaction.editReply` sends, through a REST without the bot's global cap (interaction-rest.ts).
  const payload = await MessagePayload.create(interaction.webhook, { content: answer.content, files }).resolveBody().resolveFiles();
  await interactionRest(interaction.client).patch(Routes.webhookMessage(interaction.applicationId, interaction.token, '@original'), {
    body: payload.body,
    ...(payload.files ? { files: payload.files } : {}),
    auth: false,
  });
}
