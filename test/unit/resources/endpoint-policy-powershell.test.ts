// The endpoint and policy providers' suite (test/unit/resources/endpoint-policy.test.ts), run
// again with every host a `local` PowerShell host whose shell is the double.
import { useTransport } from "../../doubles/hosts";

useTransport("powershell");
require("./endpoint-policy.test");
