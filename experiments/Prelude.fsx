// Shared setup for every experiment script and notebook: reference the built core (whose
// native libraries carry the Debian 12 fix) and load libtorch from there before any torch call.
// Build first: `dotnet build Workbench.sln` (the README's commands do this for you).
#r "../core/bin/Debug/net10.0/TorchSharp.dll"
#r "../core/bin/Debug/net10.0/Workbench.Core.dll"

Workbench.Runtime.TorchRuntime.EnsureLoaded()
