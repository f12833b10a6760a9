import { expect, inject } from 'vitest';

/**
 * Runs before every test file of the server projects and the journeys: installs the shipped chatbot
 * model that the global setup trained once for the run (global-setup.ts), as main.ts installs the one
 * the build stored (`useBotModel`), instead of every file training it again when the app registers the
 * bot's routes. The stored copy answers bit for bit as the trained one (bot-model-file.ts), and only one
 * trained from the current sources is used: its fingerprint is checked on reading. The bot module's own
 * tests (training, the stored format, learning) and files outside the server and the journeys still
 * train or load nothing here.
 */
const testPath = (expect.getState().testPath ?? '').split('\\').join('/');
const file = inject('botModelFile');
if (file && /\/(src\/server|e2e)\//.test(testPath) && !testPath.includes('/src/server/modules/bot/')) {
  const { readBotModelFile } = await import('../modules/bot/bot-model-file.ts');
  const { useBotModel } = await import('../modules/bot/bot-model.ts');
  const model = await readBotModelFile(file);
  if (model) useBotModel(model);
}
