/** `npm start`: read the environment, start everything, print where to open the app, stop cleanly on signals. */
import { ConfigError, loadConfig } from "./config.ts";
import { startGemba, StartupError } from "./app.ts";
import { createServerLog } from "./log.ts";

async function main(): Promise<void> {
  // JSON lines for a log collector, plain words at a terminal (LOG_FORMAT overrides; server/log.ts).
  const log = createServerLog().line;
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      log(`Gemba: ${e.message}`);
      process.exit(2);
    }
    throw e;
  }
  try {
    const server = await startGemba(config, { log });
    log(`Gemba is running. Open ${server.url}/ in Chrome, Edge or the Quest browser.`, { url: `${server.url}/` });
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
      log(`Gemba: ${e.message}`);
      process.exit(1);
    }
    log(`Gemba: unexpected error during start-up: ${(e as Error).stack ?? String(e)}`);
    process.exit(1);
  }
}

void main();
