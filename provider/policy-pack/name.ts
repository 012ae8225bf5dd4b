/** The pack's name, as `pulumi preview` prints it. */
export const PACK_NAME = "pulumi-hns";

/** The pack directory inside the package (what users pass to --policy-pack, under node_modules/pulumi-hns/). */
export const PACK_DIR = "dist/policy-pack";
