/** `npm start`: read the environment, start everything, print where to open the app, stop cleanly on signals. */
import { ConfigError, loadConfig } from "./config.ts";
import { startGemba, StartupError } from "./app.ts";

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`Gemba: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  const log = (m: string) => console.log(`[gemba] ${m}`);
  try {
    const server = await startGemba(config, { log });
    console.log(`\n  Gemba is running. Open ${server.url}/ in Chrome, Edge or the Quest browser.\n`);
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) process.exit(1);
      stopping = true;
      log(`${signal}: shutting down`);
      void server.stop().then(() => process.exit(0));
    };
    process.on("SIGINT", () => shutdown("SIGINT"));
    process.on("SIGTERM", () => shutdown("SIGTERM"));
  } catch (e) {
    if (e instanceof StartupError) {
      console.error(`Gemba: ${e.message}`);
      process.exit(1);
    }
    console.error(`Gemba: unexpected error during start-up: ${(e as Error).stack ?? String(e)}`);
    process.exit(1);
  }
}

void main();
