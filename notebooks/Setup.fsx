// Shared setup for the notebooks, #load-ed by each one's first cell (in `workbench notebook run`
// and in a .NET Interactive kernel alike): the core through the experiments' Prelude (which loads
// the fixed native libtorch), plus the table and chart libraries the core ships with.
// Build first: `dotnet build Workbench.sln`.
#load "../experiments/Prelude.fsx"
#r "../core/bin/Debug/net10.0/Deedle.dll"
#r "../core/bin/Debug/net10.0/Newtonsoft.Json.dll"
#r "../core/bin/Debug/net10.0/DynamicObj.dll"
#r "../core/bin/Debug/net10.0/Giraffe.ViewEngine.dll"
#r "../core/bin/Debug/net10.0/Plotly.NET.dll"
