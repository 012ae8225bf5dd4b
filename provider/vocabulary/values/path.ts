/**
 * A path on the machine that runs Pulumi (an emulator stateDir, a known_hosts or key file). A
 * relative path is taken relative to the project directory, the working directory Pulumi
 * runs the program in (Pulumi runs programs from the directory holding Pulumi.yaml,
 * https://www.pulumi.com/docs/iac/concepts/projects/). "~" is refused rather than expanded:
 * no shell reads it, and expanding it would make one program mean different files for
 * different users.
 */
import { quote, valueType } from "./spec";

export function localPathProblem(v: string): string | undefined {
  if (v.trim() === "") return "is empty or blank: give a path, absolute or relative to the project directory";
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u.test(v)) return "contains a control character or line break: give a path on one line";
  if (v !== v.trim()) return "starts or ends with a blank: remove it";
  if (v === "~" || v.startsWith("~/") || /^~[A-Za-z0-9._-]*(\/|$)/.test(v)) {
    return `${quote(v)} starts with "~", which nothing expands here: write the full path (e.g. "/home/me/${v.replace(/^~[^/]*\/?/, "")}") or one relative to the project directory`;
  }
  if (v.length > 4096) return `is ${v.length} characters long: use at most 4096 (PATH_MAX)`;
  return undefined;
}

export const LocalPath = valueType<string>(
  {
    name: "LocalPath",
    summary: "A path on the machine that runs Pulumi: absolute, or relative to the project directory (where Pulumi.yaml is).",
    accepts: ["absolute paths", "paths relative to the project directory"],
    refuses: ['"~" and "~user" (nothing expands them: write the full path)', "control characters and line breaks", "empty, blank, or leading/trailing blanks", "more than 4096 characters"],
    examples: [".hns-emulator", "/var/lib/hns-state"],
  },
  localPathProblem,
);
