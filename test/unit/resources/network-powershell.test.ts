// The network provider's suite (test/unit/resources/network.test.ts), run again with every host
// a `local` PowerShell host whose shell is the double: same assertions, through the transport.
import { useTransport } from "../../doubles/hosts";

useTransport("powershell");
require("./network.test");
