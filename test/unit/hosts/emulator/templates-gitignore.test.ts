/**
 * A project made from a template (or the quickstart) keeps the emulator's state out of git:
 * it holds host state (hashed keys included) that belongs to one machine. `pulumi new` copies
 * a template's dotfiles along with the rest, so each template carries its own .gitignore.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { DEFAULT_EMULATOR_DIR } from "../../../../provider/hosts/host";

const EXAMPLES = path.resolve(__dirname, "../../../../examples");
const projects = [
  ...readdirSync(path.join(EXAMPLES, "templates"), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => `templates/${d.name}`),
  "quickstart",
];

test("there are templates to check", () => {
  expect(projects.length).toBeGreaterThan(1);
});

test.each(projects)("%s ignores the emulator's state directory, node_modules and bin", (project) => {
  const lines = readFileSync(path.join(EXAMPLES, project, ".gitignore"), "utf8").split("\n").map((l) => l.trim());
  expect(lines).toContain(`${DEFAULT_EMULATOR_DIR}/`);
  expect(lines).toContain("node_modules/");
  expect(lines).toContain("bin/");
});
