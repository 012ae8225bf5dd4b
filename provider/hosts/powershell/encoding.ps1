# pulumi-hns: the decoding both shipped scripts need. scripts.ts puts this file in front of
# session.ps1 (the local shell) and of agent.ps1 (the session where HNS is, often another
# machine), so each has it without a second copy in the repository.
#
# The provider sends every string base64-encoded inside the JSON (wire.ts encodeStrings), so
# ConvertFrom-Json has nothing it could turn into a DateTime (PowerShell 7 does that to
# ISO-8601-shaped strings; 5.1 does not). This decodes them all, right after the parse.
function ConvertFrom-HnsEncodedValue {
    param($Value)

    if ($Value -is [string]) { return [Text.Encoding]::Unicode.GetString([Convert]::FromBase64String($Value)) }
    if ($Value -is [System.Management.Automation.PSCustomObject]) {
        foreach ($p in $Value.PSObject.Properties) { $p.Value = ConvertFrom-HnsEncodedValue -Value $p.Value }
        return $Value
    }
    if ($Value -is [array]) {
        $items = [System.Collections.Generic.List[object]]::new()
        foreach ($v in $Value) { $items.Add((ConvertFrom-HnsEncodedValue -Value $v)) }
        # The comma keeps an array of one (or none) an array on the way out of the function.
        return , $items.ToArray()
    }
    return $Value
}
