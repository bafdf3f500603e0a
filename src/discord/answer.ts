import { MessageFlags, type AttachmentBuilder, type RepliableInteraction } from 'discord.js';

/**
 * An interaction whose answer is usually ready at once (a saved update) is answered with it directly:
 * one request, and the person sees the result without a "thinking…" step. If the answer is not ready
 * within this long (a slow store), the interaction is deferred then, well inside Discord's 3 seconds,
 * and the answer replaces the deferral when it comes.
 */
export const LATE_DEFER_MS = 1_000;

export interface Answer {
  readonly content: string;
  readonly files?: readonly AttachmentBuilder[];
}

interface PendingDeferral {
  readonly timer: NodeJS.Timeout;
  /** Set once the timer fired: the deferral's request. */
  deferring: Promise<void> | null;
}

const pending = new WeakMap<RepliableInteraction, PendingDeferral>();

/** Defers `interaction` (ephemerally) if `answerEphemeral` has not been called for it within `ms`. */
export function deferUnlessAnsweredWithin(interaction: RepliableInteraction, ms: number = LATE_DEFER_MS): void {
  const entry: PendingDeferral = {
    deferring: null,
    timer: setTimeout(() => {
      entry.deferring = interaction.deferReply({ flags: MessageFlags.Ephemeral }).then(() => undefined);
      // A failed deferral is reported to whoever answers next; until then it must not be unhandled.
      entry.deferring.catch(() => undefined);
    }, ms),
  };
  pending.set(interaction, entry);
}

/**
 * The one way Scribe answers an interaction it has not shown a modal for: an ephemeral reply if it is
 * not acknowledged yet, the edit of its deferred reply otherwise (waiting for a deferral under way).
 */
export async function answerEphemeral(interaction: RepliableInteraction, answer: Answer): Promise<void> {
  const entry = pending.get(interaction);
  if (entry) {
    clearTimeout(entry.timer);
    pending.delete(interaction);
    if (entry.deferring) await entry.deferring;
  }
  const files = answer.files ? [...answer.files] : [];
  if (interaction.deferred || interaction.replied) {
    await interaction.editReply({ content: answer.content, files });
  } else {
    await interaction.reply({ content: answer.content, files, flags: MessageFlags.Ephemeral });
  }
}
