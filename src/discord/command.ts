import type { AutocompleteInteraction, ChatInputCommandInteraction, ModalSubmitInteraction, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { BotContext } from './context.ts';

/**
 * One slash command, one file in commands/: its definition as data (exactly what is registered with
 * Discord) and its handlers. The router acknowledges the interaction as `ack` says before calling
 * `execute`, so a slow store or REST route never costs the 3-second window; `ack: 'none'` is for
 * handlers that answer with a form. A form's submission is always deferred before `submitModal`.
 */
export interface CommandModule {
  readonly data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  /** Refused on use to members who are not maintainers of the series (not only hidden by permissions). */
  readonly maintainerOnly: boolean;
  /** How the router acknowledges before `execute`, per invocation. */
  ack(interaction: ChatInputCommandInteraction): 'defer-ephemeral' | 'none';
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void>;
  /** Modal submissions whose custom id starts with `${data.name}:` come here. */
  submitModal?(interaction: ModalSubmitInteraction, ctx: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
}
