export { PowerShellClient, DEFAULT_TIMEOUT_SECONDS, type PowerShellClientOptions } from "./client";
export { DEFAULT_RETRY, type RetryPolicy } from "./retry";
export { SessionPool } from "./pool";
