// A small rule set: what catches real mistakes, not style (Prettier owns formatting).
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "cdktf.out/", "bootstrap.out/", ".cdktf.out.*/", "**/*.d.ts"] },
  {
    files: ["**/*.ts", "**/*.mts"],
    extends: [tseslint.configs.base],
    rules: {
      "no-var": "error",
      "prefer-const": "error",
      eqeqeq: ["error", "always", { null: "ignore" }],
      "no-debugger": "error",
      "no-duplicate-imports": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-import-type-side-effects": "error",
      "@typescript-eslint/no-namespace": "error",
      "@typescript-eslint/no-require-imports": "error",
      "@typescript-eslint/ban-ts-comment": ["error", { "ts-expect-error": "allow-with-description" }],
    },
  },
  {
    // One-letter names only for loop indices. Property names are data (fixtures' keys), not names.
    files: ["**/*.ts", "**/*.mts"],
    rules: { "id-length": ["error", { min: 2, exceptions: ["i", "j", "k", "_"], properties: "never" }] },
  },
);
