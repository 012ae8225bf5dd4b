// PowerShell 7's ConvertFrom-Json turns date-shaped strings into DateTime values; the double
// does the same. Strings that look like dates still reach the host exactly as given.
import { HnsEmulator } from "../../../../provider/hosts/emulator";
import { PowerShellClient } from "../../../../provider/hosts/powershell";
import { PwshDouble } from "../../../doubles/double";
import { tempDir } from "../../../helpers/tmp";

// Each test starts PowerShell doubles (Node processes); a loaded machine needs more than jest's 5 s.
jest.setTimeout(60_000);

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { convertFromJson } = require("../../../doubles/powershell-json") as { convertFromJson(text: string): unknown };

const tmp = tempDir("hns-dates-");
const dbl = new PwshDouble(tmp.dir);
const open: PowerShellClient[] = [];
afterAll(async () => {
  await Promise.all(open.map((c) => c.close()));
  tmp.cleanup();
});

const DATES = ["2024-05-01T10:00:00Z", "2024-05-01T10:00:00.1234567+02:00", "/Date(1714557600000)/"];

test("the double reads JSON as PowerShell 7 does: date-shaped strings come back as [string] of a DateTime", () => {
  expect(convertFromJson(JSON.stringify({ a: DATES[0], b: DATES[2], c: "2024-05-01 10:00:00", d: "2024-02-30T10:00:00Z" }))).toEqual({
    a: "05/01/2024 10:00:00",
    b: "05/01/2024 10:00:00",
    c: "2024-05-01 10:00:00", // no 'T': stays a string
    d: "2024-02-30T10:00:00Z", // no such day: stays a string
  });
});

test.each(DATES)("a winrm password shaped like a date (%s) arrives intact: the session opens", async (password) => {
  dbl.acceptCredentials({ "dates.example": { user: "admin", password } });
  const c = new PowerShellClient({ kind: "winrm", name: "dates", address: "dates.example", user: "admin", password, executable: dbl.executable });
  open.push(c);
  expect(await c.version()).toEqual({ Major: 15, Minor: 4 });
});

test("HNS string fields shaped like dates arrive intact and come back intact", async () => {
  const c = new PowerShellClient({ kind: "local", name: "datehost", executable: dbl.executable });
  open.push(c);
  const name = DATES[0];
  const net = await c.create("network", {
    Name: name,
    Type: "L2Bridge",
    Dns: { Domain: DATES[1], Search: [DATES[2]] },
    Ipams: [{ Type: "Static", Subnets: [{ IpAddressPrefix: "10.9.0.0/24" }] }],
  });
  expect(await new HnsEmulator(dbl.stateFile("datehost")).get("network", net.ID!)).toMatchObject({ Name: name, Dns: { Domain: DATES[1], Search: [DATES[2]] } });
  expect((await c.list("network", { Name: name })).map((n) => n.Name)).toEqual([name]);
  expect((await c.get("network", net.ID!))?.Dns).toMatchObject({ Domain: DATES[1], Search: [DATES[2]] });
});
