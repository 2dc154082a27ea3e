import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { migrateToLatest } from './db/migrate.js';
import { closeDeps, createDeps } from './deps.js';
import { startJobWorkers } from './job-handlers.js';
import { describeMediaBinaries } from './media/media.adapter.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const deps = createDeps(config);
  await migrateToLatest(deps.db);
  await deps.keyring.assertMasterKeysPresent();
  const app = await buildApp(deps);

  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await closeDeps(deps);
    process.exit(0);
  };
  process.once('SIGINT', (signal) => void shutdown(signal));
  process.once('SIGTERM', (signal) => void shutdown(signal));

  await app.listen({ host: config.HOST, port: config.PORT });
  if (config.EMBEDDED_WORKERS) await startJobWorkers(deps);
  const shownHost = config.HOST === '0.0.0.0' ? 'localhost' : config.HOST;
  app.log.info(`Missing Person Finder is running at http://${shownHost}:${config.PORT}`);
  const media = describeMediaBinaries(deps.media.binaries);
  app.log[media.level]({ media: media.origin }, media.message);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
