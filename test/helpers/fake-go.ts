/**
 * A stand-in `go` for the tests of scripts/setup-pulumi.sh, which build the Pulumi CLI and the
 * language hosts with go: it logs each call to `calls`, makes `go mod init` a go.mod, `go
 * install` a pulumi-language-yaml in $GOBIN, and `go build -o X` an executable X: the CLI
 * (`.../cmd/pulumi`) printing `v<version>`, anything else an empty script. With `hold`, one of
 * the two builds waits until the file `until` appears, so a test can watch what the script
 * prints while it builds.
 */
import { chmodSync, writeFileSync } from "node:fs";

export interface FakeGo {
  calls: string;
  version: string;
  hold?: { build: "cli" | "other"; until: string };
}

export function writeFakeGo(file: string, o: FakeGo): void {
  const wait = (build: "cli" | "other") => (o.hold?.build === build ? `while [ ! -e ${JSON.stringify(o.hold.until)} ]; do sleep 0.05; done; ` : "");
  writeFileSync(
    file,
    `#!/bin/bash
echo "go $*" >> ${JSON.stringify(o.calls)}
out=""; prev=""
for a in "$@"; do [ "$prev" = -o ] && out=$a; prev=$a; done
case "$1 $2" in
  "mod init") touch go.mod ;;
  "install "*) printf '#!/bin/sh\\n' > "$GOBIN/pulumi-language-yaml"; chmod +x "$GOBIN/pulumi-language-yaml" ;;
  "build "*)
    case "\${@: -1}" in
      */cmd/pulumi) ${wait("cli")}printf '#!/bin/sh\\necho v${o.version}\\n' > "$out" ;;
      *) ${wait("other")}printf '#!/bin/sh\\n' > "$out" ;;
    esac
    chmod +x "$out" ;;
esac
`,
  );
  chmodSync(file, 0o755);
}
