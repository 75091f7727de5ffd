# Installs and starts SGP as a Windows service (WinSW). Run in an administrator PowerShell, in the install folder:
#   powershell -ExecutionPolicy Bypass -File .\install-service.ps1
# The folder must hold: sgp.mjs, libsql.node, sgp-service.xml, sgp-service.exe (WinSW-x64.exe 2.12, renamed).
$ErrorActionPreference = "Stop"
$base = Split-Path -Parent $MyInvocation.MyCommand.Path
Set-Location $base

foreach ($f in @("sgp.mjs", "libsql.node", "sgp-service.xml")) {
  if (-not (Test-Path (Join-Path $base $f))) { throw "Falta $f em $base (copie a pasta dist\ inteira)" }
}
if (-not (Test-Path (Join-Path $base "sgp-service.exe"))) {
  throw "Falta sgp-service.exe: baixe WinSW-x64.exe (v2.12.0) de https://github.com/winsw/winsw/releases/tag/v2.12.0 e salve-o aqui como sgp-service.exe"
}

# Node 20.12 or newer (its .env parser); the service runs the node.exe written in sgp-service.xml.
$node = (Get-Command node.exe -ErrorAction SilentlyContinue).Source
if (-not $node) { throw "Node.js não encontrado: instale o Node 20 LTS (https://nodejs.org) e abra um novo PowerShell" }
& $node -e "const [a,b]=process.versions.node.split('.').map(Number); process.exit(a>20||(a===20&&b>=12)?0:1)"
if ($LASTEXITCODE -ne 0) { throw "Node $(& $node --version) é antigo demais: instale o Node 20.12 ou mais novo" }
$xmlPath = Join-Path $base "sgp-service.xml"
$xml = Get-Content $xmlPath -Raw -Encoding UTF8
$default = [Environment]::ExpandEnvironmentVariables("%ProgramFiles%\nodejs\node.exe")
if (-not (Test-Path $default)) {
  $xml = $xml -replace "<executable>[^<]*</executable>", "<executable>$node</executable>"
  [IO.File]::WriteAllText($xmlPath, $xml, (New-Object Text.UTF8Encoding $false))
  Write-Host "sgp-service.xml: node em $node"
}

New-Item -ItemType Directory -Force -Path (Join-Path $base "data"), (Join-Path $base "logs") | Out-Null

# Settings and database checked before the service exists: a bad .env shows its one line here.
& $node (Join-Path $base "sgp.mjs") migrate
if ($LASTEXITCODE -ne 0) { throw "Corrija a configuração acima (.env em $base) e rode de novo" }

& (Join-Path $base "sgp-service.exe") install
& (Join-Path $base "sgp-service.exe") start

$port = 8000
if (Test-Path (Join-Path $base ".env")) {
  $line = Select-String -Path (Join-Path $base ".env") -Pattern "^\s*PORT\s*=\s*(\d+)" | Select-Object -First 1
  if ($line) { $port = [int]$line.Matches[0].Groups[1].Value }
}
for ($i = 0; $i -lt 30; $i++) {
  try {
    $h = Invoke-RestMethod -Uri "http://127.0.0.1:$port/health" -TimeoutSec 2
    Write-Host "SGP no ar: http://127.0.0.1:$port (versão $($h.version), status $($h.status))"
    Write-Host "Senha do admin de um primeiro início: logs\sgp-service.out.log, ou: node sgp.mjs admin reset-password admin"
    exit 0
  } catch { Start-Sleep -Seconds 1 }
}
Write-Warning "O serviço não respondeu em http://127.0.0.1:$port/health; veja logs\sgp-service.err.log e logs\sgp.*.log"
exit 1
