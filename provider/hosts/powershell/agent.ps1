# pulumi-hns agent: runs on the Windows host, inside the PowerShell session the provider keeps
# open (locally, or in the remote session), loaded once per session as a dynamic module.
#
# Protocol: Invoke-HnsAgentCall takes one base64 string (UTF-8 JSON) and returns one line,
# 'hns-reply:' followed by base64 (UTF-8 JSON). No request value is ever parsed as PowerShell;
# HCN documents travel as JSON text from the request to computenetwork.dll and back unchanged.
#
# Calls: computenetwork.dll (HcnEnumerate/Create/Open/Modify/Query/Delete/Close for networks,
# endpoints, namespaces, load balancers and SDN routes; returned strings freed with
# CoTaskMemFree) and vmcompute.dll HNSCall for GET /globals/version, as hcsshim does
# (hcsshim hcn/zsyscall_windows.go, hcn/hcnglobals.go; Microsoft HCN API reference).

# No Set-StrictMode: requests omit fields an operation does not use, and strict mode would
# turn reading an absent property into an error.
$ErrorActionPreference = 'Stop'

$script:AgentProtocol = 2
$script:ReplyTag = 'hns-reply:'

if (-not ('PulumiHns.Hcn' -as [type])) {
    Add-Type -Language CSharp -TypeDefinition @'
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace PulumiHns
{
    // What one HCN call returned: the HRESULT, the result text (IDs, properties) and the error record.
    public sealed class HcnResult
    {
        public string Function;
        public uint HResult;
        public string Text;
        public string ErrorRecord;
        public bool Failed { get { return (HResult & 0x80000000u) != 0 || !String.IsNullOrEmpty(ErrorRecord); } }
    }

    public static class Hcn
    {
        delegate uint EnumerateFn(string query, out IntPtr ids, out IntPtr error);
        delegate uint CreateFn(ref Guid id, string settings, out IntPtr handle, out IntPtr error);
        delegate uint OpenFn(ref Guid id, out IntPtr handle, out IntPtr error);
        delegate uint ModifyFn(IntPtr handle, string settings, out IntPtr error);
        delegate uint QueryFn(IntPtr handle, string query, out IntPtr properties, out IntPtr error);
        delegate uint DeleteFn(ref Guid id, out IntPtr error);
        delegate uint CloseFn(IntPtr handle);

        sealed class Api
        {
            public string Name;
            public EnumerateFn Enumerate;
            public CreateFn Create;
            public OpenFn Open;
            public ModifyFn Modify;
            public QueryFn Query;
            public DeleteFn Delete;
            public CloseFn Close;
        }

        const string Dll = "computenetwork.dll";
        const CharSet W = CharSet.Unicode;

        [DllImport(Dll, CharSet = W)] static extern uint HcnEnumerateNetworks(string query, out IntPtr ids, out IntPtr error);
        [DllImport(Dll, CharSet = W)] static extern uint HcnCreateNetwork(ref Guid id, string settings, out IntPtr handle, out IntPtr error);
        [DllImport(Dll, CharSet = W)] static extern uint HcnOpenNetwork(ref Guid id, out IntPtr handle, out IntPtr error);
        [DllImport(Dll, CharSet = W)] static extern uint HcnModifyNetwork(IntPtr handle, string settings, out IntPtr error);
        [DllImport(Dll, CharSet = W)] static extern uint HcnQueryNetworkProperties(IntPtr handle, string query, out IntPtr properties, out IntPtr error);
        [DllImport(Dll, CharSet = W)] static extern uint HcnDeleteNetwork(ref Guid id, out IntPtr error);
        [DllImport(Dll)] static extern uint HcnCloseNetwork(IntPtr handle);

        [DllImport(Dll, CharSet = W)] static extern uint HcnEnumerateEndpoints(string query, out IntPtr ids, out IntPtr error);
        [DllImport(Dll, CharSet = W)] static extern uint HcnCreateEndpoint(IntPtr network, ref Guid id, string settings, out IntPtr handle, out IntPtr error);
        [DllImport(Dll, CharSet = W)] static extern uint HcnOpenEndpoint(ref Guid id, out IntPtr handle, out IntPtr error);
        [DllImport(Dll, CharSet = W)] static extern uint HcnModifyEndpoint(IntPtr handle, string settings, out IntPtr error);
        [DllImport(Dll, CharSet = W)] static extern uint HcnQueryEndpointProperties(IntPtr handle, string query, out IntPtr properties, out IntPtr error);
        [DllImport(Dll, CharSet = W)] static extern uint HcnDeleteEndpoint(ref Guid id, out IntPtr error);
        [DllImport(Dll)] static extern uint HcnCloseEndpoint(IntPtr handle);

        [DllImport(Dll, CharSet = W)] static extern uint HcnEnumerateNamespaces(string query, out IntPtr ids, out IntPtr error);
        [DllImport(Dll, CharSet = W)] static extern uint HcnCreateNamespace(ref Guid id, string settings, out IntPtr handle, out IntPtr error);
        [DllImport(Dll, CharSet = W)] static extern uint HcnOpenNamespace(ref Guid id, out IntPtr handle, out IntPtr error);
        [DllImport(Dll, CharSet = W)] static extern uint HcnModifyNamespace(IntPtr handle, string settings, out IntPtr error);
        [DllImport(Dll, CharSet = W)] static extern uint HcnQueryNamespaceProperties(IntPtr handle, string query, out IntPtr properties, out IntPtr error);
        [DllImport(Dll, CharSet = W)] static extern uint HcnDeleteNamespace(ref Guid id, out IntPtr error);
        [DllImport(Dll)] static extern uint HcnCloseNamespace(IntPtr handle);

        [DllImport(Dll, CharSet = W)] static extern uint HcnEnumerateLoadBalancers(string query, out IntPtr ids, out IntPtr error);
        [DllImport(Dll, CharSet = W)] static extern uint HcnCreateLoadBalancer(ref Guid id, string settings, out IntPtr handle, out IntPtr error);
        [DllImport(Dll, CharSet = W)] static extern uint HcnOpenLoadBalancer(ref Guid id, out IntPtr handle, out IntPtr error);
        [DllImport(Dll, CharSet = W)] static extern uint HcnModifyLoadBalancer(IntPtr handle, string settings, out IntPtr error);
        [DllImport(Dll, CharSet = W)] static extern uint HcnQueryLoadBalancerProperties(IntPtr handle, string query, out IntPtr properties, out IntPtr error);
        [DllImport(Dll, CharSet = W)] static extern uint HcnDeleteLoadBalancer(ref Guid id, out IntPtr error);
        [DllImport(Dll)] static extern uint HcnCloseLoadBalancer(IntPtr handle);

        [DllImport(Dll, CharSet = W)] static extern uint HcnEnumerateSdnRoutes(string query, out IntPtr ids, out IntPtr error);
        [DllImport(Dll, CharSet = W)] static extern uint HcnCreateSdnRoute(ref Guid id, string settings, out IntPtr handle, out IntPtr error);
        [DllImport(Dll, CharSet = W)] static extern uint HcnOpenSdnRoute(ref Guid id, out IntPtr handle, out IntPtr error);
        [DllImport(Dll, CharSet = W)] static extern uint HcnModifySdnRoute(IntPtr handle, string settings, out IntPtr error);
        [DllImport(Dll, CharSet = W)] static extern uint HcnQuerySdnRouteProperties(IntPtr handle, string query, out IntPtr properties, out IntPtr error);
        [DllImport(Dll, CharSet = W)] static extern uint HcnDeleteSdnRoute(ref Guid id, out IntPtr error);
        [DllImport(Dll)] static extern uint HcnCloseSdnRoute(IntPtr handle);

        // HNS v1: the version lives only there (hcsshim hcnglobals.go: GET /globals/version).
        [DllImport("vmcompute.dll", CharSet = W)] static extern uint HNSCall(string method, string path, string request, out IntPtr response);

        static readonly Dictionary<string, Api> Apis = new Dictionary<string, Api>
        {
            { "network", new Api { Name = "Network", Enumerate = HcnEnumerateNetworks, Create = HcnCreateNetwork, Open = HcnOpenNetwork, Modify = HcnModifyNetwork, Query = HcnQueryNetworkProperties, Delete = HcnDeleteNetwork, Close = HcnCloseNetwork } },
            { "endpoint", new Api { Name = "Endpoint", Enumerate = HcnEnumerateEndpoints, Create = null, Open = HcnOpenEndpoint, Modify = HcnModifyEndpoint, Query = HcnQueryEndpointProperties, Delete = HcnDeleteEndpoint, Close = HcnCloseEndpoint } },
            { "namespace", new Api { Name = "Namespace", Enumerate = HcnEnumerateNamespaces, Create = HcnCreateNamespace, Open = HcnOpenNamespace, Modify = HcnModifyNamespace, Query = HcnQueryNamespaceProperties, Delete = HcnDeleteNamespace, Close = HcnCloseNamespace } },
            { "loadBalancer", new Api { Name = "LoadBalancer", Enumerate = HcnEnumerateLoadBalancers, Create = HcnCreateLoadBalancer, Open = HcnOpenLoadBalancer, Modify = HcnModifyLoadBalancer, Query = HcnQueryLoadBalancerProperties, Delete = HcnDeleteLoadBalancer, Close = HcnCloseLoadBalancer } },
            { "route", new Api { Name = "SdnRoute", Enumerate = HcnEnumerateSdnRoutes, Create = HcnCreateSdnRoute, Open = HcnOpenSdnRoute, Modify = HcnModifySdnRoute, Query = HcnQuerySdnRouteProperties, Delete = HcnDeleteSdnRoute, Close = HcnCloseSdnRoute } },
        };

        // Strings HCN returns are allocated with CoTaskMemAlloc: copy, then free (API reference).
        static string Take(IntPtr p)
        {
            if (p == IntPtr.Zero) return null;
            try { return Marshal.PtrToStringUni(p); }
            finally { Marshal.FreeCoTaskMem(p); }
        }

        static Api For(string kind)
        {
            Api api;
            if (!Apis.TryGetValue(kind, out api)) throw new ArgumentException("unknown HNS kind: " + kind);
            return api;
        }

        static HcnResult Result(string fn, uint hr, IntPtr text, IntPtr error)
        {
            return new HcnResult { Function = fn, HResult = hr, Text = Take(text), ErrorRecord = Take(error) };
        }

        public static HcnResult Enumerate(string kind, string query)
        {
            Api api = For(kind);
            IntPtr ids, error;
            uint hr = api.Enumerate(query, out ids, out error);
            return Result("HcnEnumerate" + api.Name + "s", hr, ids, error);
        }

        // Open, then run one step on the handle; the handle is always closed.
        static HcnResult WithHandle(Api api, Guid id, Func<IntPtr, HcnResult> step)
        {
            IntPtr handle, error;
            uint hr = api.Open(ref id, out handle, out error);
            HcnResult opened = Result("HcnOpen" + api.Name, hr, IntPtr.Zero, error);
            if (opened.Failed) return opened;
            try { return step(handle); }
            finally { api.Close(handle); }
        }

        static HcnResult QueryHandle(Api api, IntPtr handle, string query)
        {
            IntPtr properties, error;
            uint hr = api.Query(handle, query, out properties, out error);
            return Result("HcnQuery" + api.Name + "Properties", hr, properties, error);
        }

        public static HcnResult Query(string kind, Guid id, string query)
        {
            Api api = For(kind);
            return WithHandle(api, id, h => QueryHandle(api, h, query));
        }

        public static HcnResult Create(string kind, Guid id, string settings, Guid network, string query)
        {
            Api api = For(kind);
            IntPtr handle, error;
            uint hr;
            if (kind == "endpoint")
            {
                // An endpoint is created on an open network handle (HcnCreateEndpoint).
                HcnResult made = WithHandle(For("network"), network, n =>
                {
                    IntPtr h, e;
                    uint r = HcnCreateEndpoint(n, ref id, settings, out h, out e);
                    HcnResult res = Result("HcnCreateEndpoint", r, IntPtr.Zero, e);
                    if (res.Failed) return res;
                    try { return QueryHandle(api, h, query); }
                    finally { api.Close(h); }
                });
                return made;
            }
            hr = api.Create(ref id, settings, out handle, out error);
            HcnResult created = Result("HcnCreate" + api.Name, hr, IntPtr.Zero, error);
            if (created.Failed) return created;
            try { return QueryHandle(api, handle, query); }
            finally { api.Close(handle); }
        }

        public static HcnResult Modify(string kind, Guid id, string settings, string query)
        {
            Api api = For(kind);
            return WithHandle(api, id, h =>
            {
                IntPtr error;
                uint hr = api.Modify(h, settings, out error);
                HcnResult modified = Result("HcnModify" + api.Name, hr, IntPtr.Zero, error);
                return modified.Failed ? modified : QueryHandle(api, h, query);
            });
        }

        public static HcnResult Delete(string kind, Guid id)
        {
            Api api = For(kind);
            IntPtr error;
            uint hr = api.Delete(ref id, out error);
            return Result("HcnDelete" + api.Name, hr, IntPtr.Zero, error);
        }

        public static HcnResult Version()
        {
            IntPtr response;
            uint hr = HNSCall("GET", "/globals/version", "", out response);
            return new HcnResult { Function = "HNSCall", HResult = hr, Text = Take(response) };
        }
    }
}
'@
}

# A JSON string literal for text we did not produce (error messages, records).
function ConvertTo-HnsJsonString {
    param([AllowNull()][string] $Text)

    if ($null -eq $Text) { return 'null' }
    return (ConvertTo-Json -InputObject $Text -Compress)
}

function New-HnsReply {
    param([string] $Json)

    return $script:ReplyTag + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Json))
}

# The request id is ours (letters and digits, checked on decode), so it is safe inside JSON text.
function New-HnsResultReply {
    param([string] $Id, [string] $ResultJson)

    return New-HnsReply -Json ('{"v":1,"id":"' + $Id + '","ok":true,"result":' + $ResultJson + '}')
}

function New-HnsErrorReply {
    param([string] $Id, [string] $Function, [uint32] $HResult, [AllowNull()][string] $Record, [AllowNull()][string] $Message)

    $detail = '{"fn":' + (ConvertTo-HnsJsonString $Function) + ',"hresult":' + $HResult + ',"record":' + (ConvertTo-HnsJsonString $Record) + ',"message":' + (ConvertTo-HnsJsonString $Message) + '}'
    return New-HnsReply -Json ('{"v":1,"id":"' + $Id + '","ok":false,"error":' + $detail + '}')
}

# Strings in a request arrive base64-encoded; ConvertFrom-HnsEncodedValue (encoding.ps1, which
# scripts.ts puts in front of this script) decodes them right after ConvertFrom-Json.
function ConvertFrom-HnsRequest {
    param([string] $Request)

    if ($Request -notmatch '^[A-Za-z0-9+/]*={0,2}$') { throw 'request is not base64' }
    $r = ConvertFrom-HnsEncodedValue -Value ([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($Request)) | ConvertFrom-Json)
    if ($r.v -ne $script:AgentProtocol) { throw "unsupported request version $($r.v)" }
    if ([string]$r.id -notmatch '^[A-Za-z0-9]{1,64}$') { throw 'request id must be letters and digits' }
    return $r
}

# One HCN result as reply JSON: the text HCN returned is already JSON (a document, or an ID list).
function ConvertTo-HnsResultJson {
    param([PulumiHns.HcnResult] $Result)

    if ([string]::IsNullOrEmpty($Result.Text)) { return 'null' }
    return $Result.Text
}

function Invoke-HnsAgentOperation {
    param($Request)

    $kind = [string]$Request.kind
    switch ([string]$Request.op) {
        'version' {
            return [PulumiHns.Hcn]::Version()
        }
        'query' {
            return [PulumiHns.Hcn]::Query($kind, [guid]$Request.objectId, [string]$Request.query)
        }
        'create' {
            $network = if ($Request.networkId) { [guid]$Request.networkId } else { [guid]::Empty }
            return [PulumiHns.Hcn]::Create($kind, [guid]$Request.objectId, [string]$Request.settings, $network, [string]$Request.query)
        }
        'modify' {
            return [PulumiHns.Hcn]::Modify($kind, [guid]$Request.objectId, [string]$Request.settings, [string]$Request.query)
        }
        'delete' {
            return [PulumiHns.Hcn]::Delete($kind, [guid]$Request.objectId)
        }
        default {
            throw "unknown operation $($Request.op)"
        }
    }
}

# Enumerate, then query each ID; an object deleted in between is skipped, as hcsshim's List does.
function Invoke-HnsAgentList {
    param($Request)

    $ids = [PulumiHns.Hcn]::Enumerate([string]$Request.kind, [string]$Request.query)
    if ($ids.Failed) { return $ids, $null }
    $documents = [System.Collections.Generic.List[string]]::new()
    # HCN's own answer, a JSON list of GUIDs: no GUID is shaped like a date, so no conversion can touch them.
    foreach ($id in @(ConvertFrom-Json -InputObject $(if ($ids.Text) { $ids.Text } else { '[]' }))) {
        $one = [PulumiHns.Hcn]::Query([string]$Request.kind, [guid]$id, [string]$Request.objectQuery)
        if (-not $one.Failed) { $documents.Add($one.Text) }
    }
    return $null, ('[' + ($documents -join ',') + ']')
}

function Invoke-HnsAgentCall {
    param([Parameter(Mandatory = $true)][string] $Request)

    $id = '0'
    try {
        $r = ConvertFrom-HnsRequest -Request $Request
        $id = [string]$r.id
        if ($r.op -eq 'list') {
            $failed, $json = Invoke-HnsAgentList -Request $r
            if ($failed) { return New-HnsErrorReply -Id $id -Function $failed.Function -HResult $failed.HResult -Record $failed.ErrorRecord -Message $null }
            return New-HnsResultReply -Id $id -ResultJson $json
        }
        $result = Invoke-HnsAgentOperation -Request $r
        if ($result.Failed) {
            return New-HnsErrorReply -Id $id -Function $result.Function -HResult $result.HResult -Record $result.ErrorRecord -Message $null
        }
        return New-HnsResultReply -Id $id -ResultJson (ConvertTo-HnsResultJson -Result $result)
    }
    catch {
        # Anything that is not an HCN answer (bad request, missing DLL): E_FAIL unless .NET says otherwise.
        # Decimal literals: PowerShell 5.1 reads 0x80004005 as a negative Int32.
        $hr = [uint32]2147500037
        if ($_.Exception.HResult -lt 0) { $hr = [uint32]([int64]$_.Exception.HResult + 4294967296) }
        return New-HnsErrorReply -Id $id -Function 'agent' -HResult $hr -Record $null -Message $_.Exception.Message
    }
}

function Get-HnsAgentInfo {
    return @{ protocol = $script:AgentProtocol; psVersion = [string]$PSVersionTable.PSVersion; computerName = [Environment]::MachineName }
}

# A quoted array: tree-sitter-powershell 0.26 misreads a bare 'A, B' command argument.
Export-ModuleMember -Function @('Invoke-HnsAgentCall', 'Get-HnsAgentInfo')
