import {
  MessageFlags,
  PermissionFlagsBits,
  type ChatInputCommandInteraction,
  type GuildMember,
  type Interaction,
  type RepliableInteraction,
} from 'discord.js';
import type { CommandModule } from '../../commands/command.ts';
import { UserError } from '../errors.ts';
import { NotesInputError } from '../notes/errors.ts';
import { StoreUnavailableError } from '../store/errors.ts';
import { answerEphemeral, deferNow, DeferralFailedError } from './answer.ts';
import type { BotContext } from './context.ts';

const APOLOGY = 'Something went wrong on my side and nothing was changed. Please try again in a moment.';

/** The text a person sees for an error: theirs to act on, or a generic apology for ours. */
export function userMessageOf(error: unknown): string | undefined {
  if (error instanceof UserError || error instanceof NotesInputError) return error.message;
  if (error instanceof StoreUnavailableError) return 'Not saved: the storage is unavailable right now. Please try again in a minute.';
  return undefined;
}

/** A maintainer of the series: one of its configured roles, or Manage Threads in that channel. */
export function isMaintainer(member: GuildMember | null, maintainerRoles: readonly string[], permissions: bigint | null): boolean {
  if (permissions !== null && (permissions & PermissionFlagsBits.ManageThreads) !== 0n) return true;
  if (!member) return false;
  return maintainerRoles.some((role) => member.roles.cache.has(role));
}

/**
 * The one place interactions enter. It refuses what no command should see (DMs, unconfigured guilds),
 * acknowledges commands before any I/O as the command asks, acknowledges a form submission the moment
 * it arrives and holds the work behind it until interactions pause (see quiet-gate.ts), runs the
 * handler, and turns a thrown error into a clear ephemeral answer.
 */
export function createRouter(modules: readonly CommandModule[], ctx: BotContext): (interaction: Interaction) => Promise<void> {
  const byName = new Map(modules.map((m) => [m.data.name, m]));

  async function run(interaction: RepliableInteraction, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (error instanceof DeferralFailedError) {
        // What the person did may well be done (a submission is saved before it is answered), so the
        // apology's "nothing was changed" could be false; and a second acknowledgement would be refused.
        ctx.log.warn({ err: error.cause, interaction: interaction.id }, 'could not acknowledge the interaction; it was handled unanswered');
        return;
      }
      const message = userMessageOf(error);
      if (message === undefined) ctx.log.error({ err: error, interaction: interaction.id }, 'interaction failed');
      else ctx.log.debug({ interaction: interaction.id, reason: message }, 'interaction refused');
      try {
        await answerEphemeral(interaction, { content: message ?? APOLOGY });
      } catch (replyError) {
        ctx.log.warn({ err: replyError, interaction: interaction.id }, 'could not tell the user about an error');
      }
    }
  }

  function guardGuild(interaction: RepliableInteraction): void {
    if (!interaction.inGuild()) throw new UserError('Scribe works inside a server, in the channels of a meeting series; not in direct messages.');
    if (!ctx.config.series.some((s) => s.guild === interaction.guildId)) {
      throw new UserError('This server has no meeting series configured for Scribe.');
    }
  }

  async function chatInput(interaction: ChatInputCommandInteraction, module: CommandModule): Promise<void> {
    const ack = module.ack(interaction);
    if (ack === 'defer-ephemeral') {
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    }
    guardGuild(interaction);
    await module.execute(interaction, ctx);
  }

  return async (interaction) => {
    ctx.gate.arrived();
    if (interaction.isChatInputCommand()) {
      const module = byName.get(interaction.commandName);
      if (!module) return run(interaction, async () => { throw new UserError('This command is not known to this version of Scribe.'); });
      ctx.log.info({ command: interaction.commandName, user: interaction.user.id, guild: interaction.guildId }, 'command');
      return run(interaction, () => chatInput(interaction, module));
    }
    if (interaction.isModalSubmit()) {
      const name = interaction.customId.split(':', 1)[0] ?? '';
      const module = byName.get(name);
      // What a submission did is logged where it is done ("update recorded"); this line is for tracing.
      ctx.log.debug({ modal: name, user: interaction.user.id, guild: interaction.guildId }, 'modal submit');
      return run(interaction, async () => {
        // Deferred before anything else, and the work (checking, storing, answering) held until
        // interactions pause, so that in a burst the main thread acknowledges and does little else;
        // "Saved" replaces the deferral once stored, never before. See quiet-gate.ts.
        deferNow(interaction, () => ctx.gate.pass());
        await ctx.gate.pass();
        guardGuild(interaction);
        if (!module?.submitModal) throw new UserError('This form is no longer handled; run the command again.');
        await module.submitModal(interaction, ctx);
      });
    }
    if (interaction.isAutocomplete()) {
      const module = byName.get(interaction.commandName);
      try {
        if (module?.autocomplete && interaction.inGuild()) await module.autocomplete(interaction, ctx);
        else await interaction.respond([]);
      } catch (error) {
        ctx.log.warn({ err: error, interaction: interaction.id }, 'autocomplete failed');
      }
    }
  };
}
