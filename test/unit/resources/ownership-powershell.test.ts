// The ownership suite (test/unit/resources/ownership.test.ts), run again with every host a
// `local` PowerShell host whose shell is the double: same assertions, through the transport.
import { useTransport } from "../../doubles/hosts";

useTransport("powershell");
require("./ownership.test");
