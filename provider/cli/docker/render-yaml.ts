/**
 * An import as a topology file for `hns-plan`: the document, with the Docker command each
 * network came from and the importer's notes as comments above it, so a reviewer sees what
 * was translated and what was not.
 */
import { Document, isMap, isSeq } from "yaml";
import type { DockerImport } from "./import";

export function renderTopologyYaml(result: DockerImport): string {
  const doc = new Document(result.topology);
  doc.commentBefore = [
    " Imported from `docker network create` and `docker run` commands by `hns-plan import-docker`.",
    " Check it with `npx hns-plan validate -f <this file>`, pin addresses with `npx hns-plan lock -f <this file>`, deploy with hns.Topology.",
    // Lines left out stay visible to the reviewer of this file, not only in the terminal.
    ...(result.refused.length ? [" Not imported (hns-plan import-docker printed why):", ...result.refused.map((r) => ` ${r.origin}: ${r.command}`)] : []),
  ].join("\n");
  const networks = doc.getIn(["hosts", 0, "networks"], true);
  if (isSeq(networks)) {
    networks.items.forEach((item, i) => {
      const n = result.networks[i];
      if (!isMap(item)) return;
      item.commentBefore = [` ${n.origin}: ${n.source.command}`, ...n.notes.map((note) => ` note: ${note}`)].join("\n");
    });
  }
  for (const e of result.endpoints) {
    const item = doc.getIn(["hosts", 0, "networks", e.at[0], "endpoints", e.at[1]], true);
    if (isMap(item)) item.commentBefore = [` ${e.origin}: ${e.source.command}`, ...e.notes.map((note) => ` note: ${note}`)].join("\n");
  }
  return doc.toString({ lineWidth: 0 });
}
