/**
 * Import rules for the whole repository, checked by `npm run lint` (npx depcruise).
 * Type-only imports count (tsPreCompilationDeps): a type cycle or a type borrowed from
 * the wrong layer couples modules as much as a value does.
 *
 * Layers, top to bottom:
 *   test/            the suites; may import anything below
 *   bench/, scripts/ measurements and tools; never the suites
 *   kit/             helpers that drive a real Gemba (browser, SDK join, app server, ports); never test/bench/scripts
 *   client/, server/ the app; never test/, kit/, bench/ or scripts/; never each other
 *   shared/          the wire; imports neither client/ nor server/
 * Inside server/: domain modules (twin, rules, alarms, collab, handoff, incidents, plant, journal, formats) are plain
 * TypeScript and never import the adapters around them (rooms, http, store, runtime, app, main, the MQTT connection).
 */
const DOMAIN = "^server/(twin|rules|alarms|collab|handoff|incidents|plant|journal|formats)/";
const ADAPTERS = [
  "^server/rooms/",
  "^server/http/",
  "^server/store/",
  "^server/runtime/",
  "^server/app\\.ts$",
  "^server/main\\.ts$",
  "^server/ingest/MqttConnection\\.ts$",
  "^server/ingest/mqttOptions\\.ts$",
];

module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment: "A cycle (values or types) means neither module can be understood, tested or moved without the other.",
      from: {},
      to: { circular: true },
    },
    {
      name: "client-not-to-server",
      severity: "error",
      comment: "client/ runs in the browser; what both sides need lives in shared/.",
      from: { path: "^client/" },
      to: { path: "^server/" },
    },
    {
      name: "server-not-to-client",
      severity: "error",
      from: { path: "^server/" },
      to: { path: "^client/" },
    },
    {
      name: "shared-imports-neither-side",
      severity: "error",
      comment: "shared/ is the wire: it imports neither client/ nor server/.",
      from: { path: "^shared/" },
      to: { path: "^(client|server)/" },
    },
    {
      name: "app-not-to-tooling",
      severity: "error",
      comment: "The app never depends on its tests, benches, scripts or test kit.",
      from: { path: "^(client|server|shared)/" },
      to: { path: "^(test|kit|bench|scripts)/" },
    },
    {
      name: "bench-scripts-not-to-test",
      severity: "error",
      comment: "bench/ and scripts/ never import the suites; shared helpers live in kit/.",
      from: { path: "^(bench|scripts)/" },
      to: { path: "^test/" },
    },
    {
      name: "kit-not-to-tooling",
      severity: "error",
      comment: "kit/ sits under test/, bench/ and scripts/ and imports none of them.",
      from: { path: "^kit/" },
      to: { path: "^(test|bench|scripts)/" },
    },
    {
      name: "domain-not-to-adapters",
      severity: "error",
      comment:
        "Domain modules are pure, with injected clocks and stores (ports declared next to the module that needs them); " +
        "rooms, HTTP, the SQLite store, the runtime wiring and the MQTT connection are adapters around them.",
      from: { path: DOMAIN },
      to: { path: ADAPTERS },
    },
    {
      name: "collab-not-to-alarms",
      severity: "error",
      comment: "Notes and co-location do not depend on the alarm book; who acted (Actor) lives in server/journal.",
      from: { path: "^server/collab/" },
      to: { path: "^server/alarms/" },
    },
    {
      name: "plant-not-to-ingest",
      severity: "error",
      comment:
        "The plant definition is read and checked before, and without, any data source: server/plant never imports server/ingest.",
      from: {
        path: "^server/plant/",
        // TEMPORARY (issue #17): loadPlant.ts calls the binding checks (ingest/sparkplug/validateBindings.ts and
        // ingest/validateTopicBindings.ts), which check plant-file data against what the ingest can route. The fix is
        // to move the topic-template compiler they share with TopicRouter.ts beside the formats (server/formats/).
        pathNot: "^server/plant/loadPlant\\.ts$",
      },
      to: { path: "^server/ingest/" },
    },
    {
      name: "plant-not-to-ingest-except-bindings-check",
      severity: "error",
      comment: "The temporary exception above covers the binding checks only.",
      from: { path: "^server/plant/loadPlant\\.ts$" },
      to: {
        path: "^server/ingest/",
        pathNot:
          "^server/ingest/(sparkplug/validateBindings|opcua/validateBindings|opcua/nodeIdText|validateTopicBindings|TopicRouter)\\.ts$",
      },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|dist|bench/results|test-results|playwright-report)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
    skipAnalysisNotInRules: false,
  },
};
