// ESLint flat config: typescript-eslint's recommended rules with type information off (tsc already type-checks
// in `npm test`), and eslint-config-prettier last so formatting is Prettier's alone.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["node_modules/**", "bin/**", "bench/results/**", "scratch/**", ".engine/**"] },
    { linterOptions: { reportUnusedDisableDirectives: "error" } },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        rules: {
            "@typescript-eslint/no-explicit-any": "error",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
        },
    },
    {
        // Product code: every function fits on a screen (the developers' guide's 120 lines, counted as written).
        files: ["index.ts", "components/**/*.ts", "scripts/**/*.ts"],
        rules: { "max-lines-per-function": ["error", { max: 120, skipBlankLines: false, skipComments: false, IIFEs: true }] },
    },
    prettier,
);
