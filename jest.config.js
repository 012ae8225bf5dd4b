// Two projects: "unit" (no engine, fast) and "e2e" (real Pulumi engine, slow).
const transform = { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] };
module.exports = {
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      transform,
      testMatch: ["<rootDir>/test/unit/**/*.test.ts", "<rootDir>/provider/**/*.test.ts", "<rootDir>/sdk/**/*.test.ts"],
    },
    {
      displayName: "e2e",
      testEnvironment: "node",
      transform,
      testMatch: ["<rootDir>/test/e2e/**/*.test.ts"],
      globalSetup: "<rootDir>/test/e2e/global-setup.ts",
      // The CLI build (first run only) happens in globalSetup; tests set their own timeouts.
    },
  ],
};
