# pulumi-hns session prelude: runs in the local PowerShell that the provider drives over
# stdin/stdout. It opens the remoting session (ssh or winrm) when there is one, loads the agent
# into it, and forwards each call. Every argument is a base64 string: no value from a host
# block or a resource is ever part of the command text.

$ErrorActionPreference = 'Stop'
$global:HnsSession = $null

# Strings in a request arrive base64-encoded; ConvertFrom-HnsEncodedValue (encoding.ps1, which
# scripts.ts puts in front of this prelude) decodes them right after ConvertFrom-Json.
function ConvertFrom-HnsBase64Json {
    param([string] $Data)

    if ($Data -notmatch '^[A-Za-z0-9+/]*={0,2}$') { throw 'argument is not base64' }
    return ConvertFrom-HnsEncodedValue -Value ([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($Data)) | ConvertFrom-Json)
}

function Write-HnsSessionReply {
    param([string] $Id, [bool] $Ok, [string] $Json)

    $field = if ($Ok) { 'result' } else { 'error' }
    $text = '{"v":1,"id":"' + $Id + '","ok":' + $(if ($Ok) { 'true' } else { 'false' }) + ',"' + $field + '":' + $Json + '}'
    [Console]::Out.WriteLine('hns-reply:' + [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($text)))
}

# The password arrives as data and becomes a SecureString here, char by char, so it is never
# a command-line argument nor part of any command text.
function New-HnsCredential {
    param([string] $User, [string] $Password)

    $secure = [System.Security.SecureString]::new()
    foreach ($c in $Password.ToCharArray()) { $secure.AppendChar($c) }
    $secure.MakeReadOnly()
    return [System.Management.Automation.PSCredential]::new($User, $secure)
}

function New-HnsRemoteSession {
    param($Options)

    if ($Options.kind -eq 'ssh') {
        $ssh = @{ HostName = [string]$Options.address; UserName = [string]$Options.user; KeyFilePath = [string]$Options.keyFile }
        if ($Options.port) { $ssh.Port = [int]$Options.port }
        # Host key checking (StrictHostKeyChecking and the known_hosts files): -Options needs PowerShell 7.3+.
        $sshOptions = @{}
        foreach ($option in @($Options.sshOptions)) { $sshOptions[[string]$option.name] = [string]$option.value }
        $ssh.Options = $sshOptions
        return New-PSSession @ssh
    }
    $useSsl = [bool]$Options.useSsl
    $winrm = @{
        ComputerName   = [string]$Options.address
        Credential     = New-HnsCredential -User ([string]$Options.user) -Password ([string]$Options.password)
        Authentication = [string]$Options.authentication
        SessionOption  = New-PSSessionOption -SkipCACheck:([bool]$Options.skipCaCheck) -SkipCNCheck:([bool]$Options.skipCnCheck)
        UseSSL         = $useSsl
    }
    if ($Options.port) { $winrm.Port = [int]$Options.port }
    return New-PSSession @winrm
}

function Open-HnsSession {
    param([string] $Options)

    $o = ConvertFrom-HnsBase64Json -Data $Options
    $id = [string]$o.id
    try {
        if ($o.kind -ne 'local') { $global:HnsSession = New-HnsRemoteSession -Options $o }
        Write-HnsSessionReply -Id $id -Ok $true -Json 'null'
    }
    catch {
        $hr = [int64]$_.Exception.HResult
        if ($hr -lt 0) { $hr += 4294967296 }
        $message = ConvertTo-Json -InputObject ([string]$_.Exception.Message) -Compress
        Write-HnsSessionReply -Id $id -Ok $false -Json ('{"fn":"New-PSSession","hresult":' + $hr + ',"record":null,"message":' + $message + '}')
    }
    finally {
        Remove-Variable -Name o -ErrorAction SilentlyContinue
    }
}

# The agent becomes a dynamic module imported globally: in this shell for a local host, or in
# the remote session (Invoke-Command passes the text as an argument, not as script text).
function Import-HnsAgent {
    param([string] $Agent)

    $request = ConvertFrom-HnsBase64Json -Data $Agent
    $load = {
        param([string] $Text)

        New-Module -Name PulumiHnsAgent -ScriptBlock ([scriptblock]::Create($Text)) | Import-Module -Global -Force
        Get-HnsAgentInfo
    }
    if ($global:HnsSession) {
        $info = Invoke-Command -Session $global:HnsSession -ScriptBlock $load -ArgumentList ([string]$request.text)
    }
    else {
        $info = & $load ([string]$request.text)
    }
    $json = '{"protocol":' + [int]$info.protocol + ',"psVersion":' + (ConvertTo-Json -InputObject ([string]$info.psVersion) -Compress) + '}'
    Write-HnsSessionReply -Id ([string]$request.id) -Ok $true -Json $json
}

function Invoke-HnsAgent {
    param([string] $Request)

    if ($Request -notmatch '^[A-Za-z0-9+/]*={0,2}$') { throw 'request is not base64' }
    if ($global:HnsSession) {
        # A broken remote session is reported on stderr; the provider then opens a new one.
        if ($global:HnsSession.State -ne 'Opened') { throw "the remote session is $($global:HnsSession.State)" }
        $forward = {
            param([string] $R)

            Invoke-HnsAgentCall -Request $R
        }
        $reply = Invoke-Command -Session $global:HnsSession -ScriptBlock $forward -ArgumentList $Request
    }
    else {
        $reply = Invoke-HnsAgentCall -Request $Request
    }
    foreach ($line in @($reply)) { [Console]::Out.WriteLine([string]$line) }
}

function Close-HnsSession {
    if ($global:HnsSession) { Remove-PSSession -Session $global:HnsSession }
    $global:HnsSession = $null
}
