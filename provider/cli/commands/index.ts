/** Every `hns-plan` command, in help order. */
import type { Command } from "./command";
import { diagram } from "./diagram";
import { doctor } from "./doctor";
import { importDockerCommand } from "./import-docker";
import { lock } from "./lock";
import { plan } from "./plan";
import { validate } from "./validate";

export const COMMANDS: Command[] = [validate, plan, lock, diagram, importDockerCommand, doctor];
