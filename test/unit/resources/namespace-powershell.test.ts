// The namespace provider's suite (namespace.test.ts), run again with every host a `local`
// PowerShell host whose shell is the double: same assertions, through the transport.
import { useTransport } from "../../doubles/hosts";

// Each test opens a session with the double (a child process): a busy machine needs more than jest's 5 s.
jest.setTimeout(30_000);
useTransport("powershell");
require("./namespace.test");
