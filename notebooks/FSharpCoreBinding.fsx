// Lets a .NET Interactive kernel whose FSharp.Core is older than the one the workbench's libraries were
// built against load them anyway. dotnet-interactive 1.0.712001 runs FSharp.Core 10.0.0.0 from its own
// folder (the host's, which nothing can replace); Deedle 8.1.0, Plotly.NET 6.0.0, DynamicObj and
// Workbench.Core reference 10.1.0.0, the only versions the mirror serves, so without this their first F#
// call fails with "Could not load file or assembly 'FSharp.Core, Version=10.1.0.0'". This is what a
// binding redirect did on .NET Framework: the runtime asks the default context's Resolving event after
// the version check fails, and gets the FSharp.Core already loaded. The minor versions share their API
// as far as these libraries use it (tests/Notebooks/FSharpCoreBindingTests checks every member they
// reference exists in the kernel's copy). A kernel with a new enough FSharp.Core never raises the event.
// #load-ed by Setup.fsx before anything that touches those libraries.
open System.Reflection
open System.Runtime.Loader

let private loadedFSharpCore = typeof<list<int>>.Assembly

AssemblyLoadContext.Default.add_Resolving (fun _ (requested: AssemblyName) ->
    if requested.Name = "FSharp.Core" && requested.Version > loadedFSharpCore.GetName().Version then loadedFSharpCore
    else null)
