// Test driver for the agent's C# (agent.ps1's Add-Type block, compiled alone with mcs): reads one
// command per stdin line and calls PulumiHns.Hcn exactly as agent.ps1's PowerShell does, then
// prints what came back. It stands in for PowerShell only; every HCN call goes through the
// agent's own P/Invoke declarations into the native stand-in (computenetwork.c).
//
// In:  op \t kind \t id \t network id \t base64(settings) \t base64(query)   (unused fields "-")
// Out: fn \t hresult \t base64(text)|- \t base64(error record)|- \t Failed \t strings not freed \t bad frees
using System;
using System.Runtime.InteropServices;
using System.Text;
using PulumiHns;

static class Driver
{
    [DllImport("hcnstandin")] static extern long standin_outstanding_strings();
    [DllImport("hcnstandin")] static extern long standin_bad_frees();

    static string Text(string b64) { return b64 == "-" ? null : Encoding.UTF8.GetString(Convert.FromBase64String(b64)); }
    static string B64(string s) { return s == null ? "-" : Convert.ToBase64String(Encoding.UTF8.GetBytes(s)); }

    static HcnResult Run(string[] f)
    {
        switch (f[0])
        {
            case "version": return Hcn.Version();
            case "enumerate": return Hcn.Enumerate(f[1], Text(f[5]));
            case "query": return Hcn.Query(f[1], new Guid(f[2]), Text(f[5]));
            case "create": return Hcn.Create(f[1], new Guid(f[2]), Text(f[4]), f[3] == "-" ? Guid.Empty : new Guid(f[3]), Text(f[5]));
            case "modify": return Hcn.Modify(f[1], new Guid(f[2]), Text(f[4]), Text(f[5]));
            case "delete": return Hcn.Delete(f[1], new Guid(f[2]));
            default: throw new ArgumentException("unknown op " + f[0]);
        }
    }

    static void Main()
    {
        string line;
        while ((line = Console.In.ReadLine()) != null)
        {
            string fn, text = null, error = null;
            uint hr;
            bool failed = true;
            try
            {
                HcnResult r = Run(line.Split('\t'));
                fn = r.Function; hr = r.HResult; text = r.Text; error = r.ErrorRecord; failed = r.Failed;
            }
            catch (Exception e)
            {
                // What agent.ps1's catch reports: not an HCN answer.
                fn = "exception"; hr = 0x80004005; error = e.GetType().Name + ": " + e.Message;
            }
            Console.Out.WriteLine(fn + "\t" + hr + "\t" + B64(text) + "\t" + B64(error) + "\t" + failed + "\t" + standin_outstanding_strings() + "\t" + standin_bad_frees());
            Console.Out.Flush();
        }
    }
}
