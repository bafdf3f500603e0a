/**
 * The benchmark's floor: the least a discord.js 14 bot can do for `/update`. It shows a one-field modal
 * and answers every submission at once with a fixed ephemeral reply, so what the emulator measures is
 * discord.js's own cost (gateway, cache, REST). Same intents and environment as Scribe (DISCORD_TOKEN,
 * DISCORD_API_URL); prints "ready" when ready. Compiled by bench/tsconfig.json, run as JavaScript like Scribe.
 */
import {
  ActionRowBuilder,
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  type Interaction,
} from 'discord.js';

const token = process.env['DISCORD_TOKEN'];
const api = process.env['DISCORD_API_URL'];
if (!token || !api) {
  process.stderr.write('bare-bot: DISCORD_TOKEN and DISCORD_API_URL must be set\n');
  process.exit(2);
}

const modal = new ModalBuilder()
  .setCustomId('update:x')
  .setTitle('Your update')
  .addComponents(
    new ActionRowBuilder<TextInputBuilder>().addComponents(
      new TextInputBuilder().setCustomId('text').setLabel('What did you do?').setStyle(TextInputStyle.Paragraph).setMaxLength(4000),
    ),
  );

const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildVoiceStates], rest: { api } });

async function handle(interaction: Interaction): Promise<void> {
  if (interaction.isChatInputCommand() && interaction.commandName === 'update') {
    await interaction.showModal(modal);
  } else if (interaction.isModalSubmit()) {
    await interaction.reply({ content: 'Thanks, your update is noted.', flags: MessageFlags.Ephemeral });
  }
}

client.on(Events.InteractionCreate, (interaction) => {
  handle(interaction).catch((error: unknown) => process.stderr.write(`bare-bot: ${String(error)}\n`));
});
client.once(Events.ClientReady, () => process.stdout.write('ready\n'));

const stop = (): void => {
  void client.destroy().finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

await client.login(token);
