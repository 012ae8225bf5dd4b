// Two projects: "unit" (no engine, fast) and "e2e" (real Pulumi engine, slow).
const transform = { "^.+\\.ts$": ["ts-jest", { diagnostics: false }] };
// The pulumi new templates each carry a package.json named "${PROJECT}" (filled in by pulumi new);
// jest's module map would see five packages of one name and warn on every run. No test
// imports from them (the template test copies them through pulumi new), so keep them out.
const modulePathIgnorePatterns = ["<rootDir>/examples/templates/"];
module.exports = {
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      transform,
      modulePathIgnorePatterns,
      // Tests mirror provider/ under test/unit (test/unit/structure/test-layout.test.ts), never beside the code.
      testMatch: ["<rootDir>/test/unit/**/*.test.ts", "<rootDir>/test/native-hcn/**/*.test.ts"],
    },
    {
      // The HNS contract (test/contract): the stand-ins here, or one real host with HNS_TARGET
      // (npm run test:contract, docs/real-host.md).
      displayName: "contract",
      testEnvironment: "node",
      transform,
      modulePathIgnorePatterns,
      testMatch: ["<rootDir>/test/contract/**/*.test.ts"],
    },
    {
      displayName: "e2e",
      testEnvironment: "node",
      transform,
      modulePathIgnorePatterns,
      testMatch: ["<rootDir>/test/e2e/**/*.test.ts"],
      globalSetup: "<rootDir>/test/e2e/global-setup.ts",
      // The CLI build (first run only) happens in globalSetup; tests set their own timeouts.
    },
  ],
};
