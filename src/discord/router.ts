import { PermissionFlagsBits, type GuildMember, type Interaction, type RepliableInteraction } from 'discord.js';
import type { CommandModule } from './command.ts';
import { UserError } from '../errors.ts';
import { NotesInputError } from '../notes/errors.ts';
import { StoreUnavailableError } from '../store/errors.ts';
import { ChannelUnavailableError } from '../meetings/port-errors.ts';
import { problemWords } from '../meetings/recover-thread.ts';
import { acknowledge, answerEphemeral } from './answer.ts';
import { interactionArrived, nextTurn } from './turns.ts';
import type { BotContext } from './context.ts';

const APOLOGY = 'Something went wrong on my side and nothing was changed. Please try again in a moment.';

/** The text a person sees for an error: theirs to act on, or a generic apology for ours. */
export function userMessageOf(error: unknown): string | undefined {
  if (error instanceof UserError || error instanceof NotesInputError) return error.message;
  if (error instanceof StoreUnavailableError) return 'Not saved: the storage is unavailable right now. Please try again in a minute.';
  if (error instanceof ChannelUnavailableError) return `That could not be done: ${problemWords(error)}. Please ask a server admin to fix it, then try again.`;
  return undefined;
}

/** A maintainer of the series: one of its configured roles, or Manage Threads in that channel. */
export function isMaintainer(member: GuildMember | null, maintainerRoles: readonly string[], permissions: bigint | null): boolean {
  if (permissions !== null && (permissions & PermissionFlagsBits.ManageThreads) !== 0n) return true;
  if (!member) return false;
  return maintainerRoles.some((role) => member.roles.cache.has(role));
}

/**
 * The one place interactions enter: acknowledge at once (defer, or the command's form), do the work,
 * edit the reply. What no command should see (DMs, unconfigured guilds) is refused, and a thrown
 * error becomes a clear ephemeral answer.
 */
export function createRouter(modules: readonly CommandModule[], ctx: BotContext): (interaction: Interaction) => Promise<void> {
  const byName = new Map(modules.map((m) => [m.data.name, m]));

  async function run(interaction: RepliableInteraction, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      const message = userMessageOf(error);
      if (message === undefined) {
        ctx.metrics.error('interaction');
        ctx.log.error({ err: error, interaction: interaction.id }, 'interaction failed');
      } else ctx.log.debug({ interaction: interaction.id, reason: message }, 'interaction refused');
      try {
        await answerEphemeral(interaction, { content: message ?? APOLOGY });
      } catch (replyError) {
        ctx.log.warn({ err: replyError, interaction: interaction.id }, 'could not tell the user about an error');
      }
    }
  }

  async function deferNow(interaction: RepliableInteraction, arrivedAt: number): Promise<void> {
    // Unacknowledged, the work still runs (a submission is saved all the same), answered by nobody.
    const refusal = await acknowledge(interaction);
    if (refusal === undefined) ctx.metrics.acknowledged((performance.now() - arrivedAt) / 1000);
    if (refusal !== undefined) ctx.log.warn({ err: refusal, interaction: interaction.id }, 'could not acknowledge the interaction; handling it unanswered');
  }

  function guardGuild(interaction: RepliableInteraction): void {
    if (!interaction.inGuild()) throw new UserError('Scribe works inside a server, in the channels of a meeting series; not in direct messages.');
    if (!ctx.config.series.some((s) => s.guild === interaction.guildId)) {
      throw new UserError('This server has no meeting series configured for Scribe.');
    }
  }

  return async (interaction) => {
    interactionArrived();
    const arrivedAt = performance.now();
    if (interaction.isChatInputCommand()) {
      const module = byName.get(interaction.commandName);
      ctx.metrics.interaction('command', interaction.commandName);
      ctx.log.info({ command: interaction.commandName, user: interaction.user.id, guild: interaction.guildId }, 'command');
      return run(interaction, async () => {
        if (!module) throw new UserError('This command is not known to this version of Scribe.');
        const deferred = module.ack(interaction) === 'defer-ephemeral';
        if (deferred) await deferNow(interaction, arrivedAt);
        guardGuild(interaction);
        await module.execute(interaction, ctx);
        // A command that answers with its form acknowledges by showing it.
        if (!deferred && (interaction.replied || interaction.deferred)) ctx.metrics.acknowledged((performance.now() - arrivedAt) / 1000);
      });
    }
    if (interaction.isModalSubmit()) {
      const name = interaction.customId.split(':', 1)[0] ?? '';
      const module = byName.get(name);
      ctx.metrics.interaction('modal', name);
      // What a submission did is logged where it is done ("update recorded"); this line is for tracing.
      ctx.log.debug({ modal: name, user: interaction.user.id, guild: interaction.guildId }, 'modal submit');
      return run(interaction, async () => {
        await deferNow(interaction, arrivedAt);
        await nextTurn();
        guardGuild(interaction);
        if (!module?.submitModal) throw new UserError('This form is no longer handled; run the command again.');
        await module.submitModal(interaction, ctx);
      });
    }
    if (interaction.isAutocomplete()) {
      const module = byName.get(interaction.commandName);
      ctx.metrics.interaction('autocomplete', interaction.commandName);
      try {
        if (module?.autocomplete && interaction.inGuild()) await module.autocomplete(interaction, ctx);
        else await interaction.respond([]);
      } catch (error) {
        ctx.log.warn({ err: error, interaction: interaction.id }, 'autocomplete failed');
      }
    }
  };
}
