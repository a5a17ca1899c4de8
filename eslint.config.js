// One linter for the whole repo: typed rules (no floating promises), no focused or skipped tests,
// and an import boundary: client/ never imports server/, server/ never imports client/, shared/ imports neither.
// The full set of import rules (layers, domain vs adapters, no cycles) is .dependency-cruiser.cjs (npm run deps:check).
import tseslint from "typescript-eslint";

const boundary = (forbidden, why) => ({
  "no-restricted-imports": [
    "error",
    { patterns: forbidden.map((group) => ({ group: [group, `${group}/**`], message: why })) },
  ],
});

export default tseslint.config(
  // .dependency-cruiser.cjs is plain CommonJS config (a rule table), checked by depcruise itself when it loads it.
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      "bench/results/**",
      // Node-RED for the comparison bench: its own install and settings file (CommonJS, read by Node-RED).
      "bench/node-red/**",
      "test-results/**",
      "playwright-report/**",
      ".dependency-cruiser.cjs",
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { arguments: false } }],
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true, allowBoolean: true }],
      "no-restricted-syntax": [
        "error",
        { selector: "CallExpression[callee.property.name='only']", message: "No focused tests (.only)." },
        { selector: "CallExpression[callee.property.name='skip']", message: "No skipped tests (.skip)." },
        { selector: "CallExpression[callee.name='eval']", message: "No eval." },
      ],
    },
  },
  {
    files: ["client/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/server", "**/server/**", "../server", "../../server"],
              message: "client/ must not import server/; put shared code in shared/.",
            },
          ],
          // The package roots re-export all of Babylon with side effects: one such import puts ~6 MB in the first view.
          paths: ["@babylonjs/core", "@babylonjs/gui"].map((name) => ({
            name,
            message: `Import the class from its own module (e.g. ${name}/Maths/math.vector.js); see docs/PERFORMANCE.md.`,
          })),
        },
      ],
    },
  },
  {
    files: ["server/**"],
    rules: boundary(["**/client", "../client", "../../client"], "server/ must not import client/."),
  },
  {
    files: ["shared/**"],
    rules: boundary(
      ["**/server", "**/client", "../server", "../client"],
      "shared/ imports neither client/ nor server/.",
    ),
  },
  { files: ["eslint.config.js"], ...tseslint.configs.disableTypeChecked },
);
