// Type-aware linting for every workspace: promises must be awaited or handled.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["**/node_modules/**", "**/dist/**", "var/**", "apps/server/migrations/**", "bench/results/**"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: ["vitest.config.ts"],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/consistent-type-definitions": ["error", "type"],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-non-null-assertion": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/only-throw-error": "error",
      // Fastify plugins and hooks are async by contract, awaited or not.
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    // The platform never imports a module: modules are handed to it by the composition root
    // (apps/server/src/modules/index.ts). Tests may build the whole application.
    files: ["apps/server/src/platform/**/*.ts", "apps/server/src/db/**/*.ts"],
    ignores: ["**/*.test.ts", "**/*.test-util.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "(^|/)modules(/|$)",
              message: "The platform imports no module: take what you need from the composition root's manifests instead.",
            },
          ],
        },
      ],
    },
  },
  {
    // A module's index.ts is its only public surface: no module reaches into another's files.
    // Tables alone may name another module's table file, for their foreign keys: the schema is
    // loaded table by table (drizzle-kit), without the modules' code.
    files: ["apps/server/src/modules/*/**/*.ts"],
    ignores: ["**/*.test.ts", "**/*.test-util.ts", "**/*.table.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^\\.\\./(?!\\.\\.)[^/]+/(?!index\\.js$)",
              message: "Import another module through its index.ts (`../<module>/index.js`), its only public surface.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["apps/server/src/modules/*/**/*.table.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^\\.\\./(?!\\.\\.)[^/]+/(?!index\\.js$)(?![a-z-]+\\.table\\.js$)",
              message: "A table names another module's table file (for a foreign key) and nothing else of it.",
            },
          ],
        },
      ],
    },
  },
  {
    // Plain JavaScript (scripts, benchmarks, deploy helpers): linted without type information.
    files: ["**/*.mjs", "**/*.js"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false },
      globals: Object.fromEntries(
        [
          "process",
          "console",
          "URL",
          "fetch",
          "FormData",
          "Blob",
          "Buffer",
          "performance",
          "setTimeout",
          "clearTimeout",
          "setInterval",
          "clearInterval",
          "AbortController",
          "AbortSignal",
        ].map((name) => [name, "readonly"]),
      ),
    },
  },
);
