import js from "@eslint/js";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import importX from "eslint-plugin-import-x";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

const databaseImports = [
  { name: "~/db.server", message: "Only app/models/*.server.ts use the database." },
  {
    name: "@prisma/client",
    allowTypeImports: true,
    message: "Only app/models/*.server.ts use the Prisma client.",
  },
];

// The local preview and demo (app/demo/) are reached through their one gated entry only.
const demoImports = {
  group: ["~/demo/**", "!~/demo/index.server"],
  message: "Reach the demo through ~/demo/index.server only (docs/decisions/0009).",
};

export default tseslint.config(
  {
    ignores: [
      "build/**",
      "public/build/**",
      "node_modules/**",
      ".data/**",
      ".cache/**",
      "test-results/**",
      "bench/tmp/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,js,mjs,cjs}"],
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": ["error", { allow: ["info", "warn", "error"] }],
    },
  },
  {
    files: ["**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["**/*.tsx"],
    plugins: { react, "react-hooks": reactHooks },
    settings: { react: { version: "detect" } },
    rules: {
      ...react.configs.recommended.rules,
      ...react.configs["jsx-runtime"].rules,
      "react/prop-types": "off",
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "warn",
    },
  },
  {
    // No import cycles: dependencies point one way (routes → lib capabilities → models → db and
    // infra; docs/decisions/0011-one-home-per-capability.md). `import type` is not counted.
    files: ["app/**/*.{ts,tsx}"],
    plugins: { "import-x": importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "tsconfig.json" })],
    },
    rules: { "import-x/no-cycle": ["error", { ignoreExternal: true }] },
  },
  {
    // Production code: the database only through the models; the demo only through its gate.
    files: ["app/**/*.{ts,tsx}"],
    ignores: [
      "app/models/**",
      "app/db.server.ts",
      "app/demo/**",
      // app/server/ and app/cli/ manage a process: they close the pool, they do not query it.
      "app/server/**",
      "app/cli/**",
      "app/test/**",
      "**/__tests__/**",
    ],
    rules: {
      "no-restricted-imports": ["error", { paths: [...databaseImports], patterns: [demoImports] }],
    },
  },
  {
    files: ["app/server/**/*.{ts,tsx}", "app/cli/**/*.{ts,tsx}"],
    ignores: ["**/__tests__/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [demoImports] }] },
  },
  {
    // The demo's own models (its seed data and stand-in users) are models too.
    files: ["app/demo/**/*.{ts,tsx}"],
    ignores: ["app/demo/models/**", "**/__tests__/**"],
    rules: { "no-restricted-imports": ["error", { paths: [...databaseImports] }] },
  },
);
