// Node-RED settings for the comparison bench: no editor, no telemetry or update checks (nothing leaves this machine),
// warnings only on the console. The port and flow file come from bench/nodeRed.ts.
module.exports = {
  uiHost: "127.0.0.1",
  uiPort: Number(process.env.BENCH_NODE_RED_PORT),
  flowFile: process.env.BENCH_NODE_RED_FLOWS,
  httpAdminRoot: false,
  telemetry: { enabled: false },
  diagnostics: { enabled: false },
  externalModules: { autoInstall: false, palette: { allowInstall: false } },
  logging: { console: { level: "warn", metrics: false, audit: false } },
};
