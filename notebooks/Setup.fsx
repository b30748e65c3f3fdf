// Shared setup for the notebooks, #load-ed by each one's first cell in a .NET Interactive kernel
// (`workbench notebook run`, VS Code's Polyglot Notebooks, Jupyter): the kernel's FSharp.Core binding,
// the core through the experiments' Prelude (which loads the fixed native libtorch), the table and
// chart libraries the core ships with, and how the kernel shows their values.
// Build first: `dotnet build Workbench.sln`.
#load "FSharpCoreBinding.fsx"
#load "../experiments/Prelude.fsx"
#r "../core/bin/Debug/net10.0/Deedle.dll"
#r "../core/bin/Debug/net10.0/Newtonsoft.Json.dll"
#r "../core/bin/Debug/net10.0/DynamicObj.dll"
#r "../core/bin/Debug/net10.0/Giraffe.ViewEngine.dll"
#r "../core/bin/Debug/net10.0/Plotly.NET.dll"

open System
open System.IO
open Microsoft.DotNet.Interactive.Formatting
open Workbench.Reporting

// Without these the kernel shows frames, charts and PNGs as object trees of their fields.
let private display = NotebookDisplay()
for shown in [ typedefof<Deedle.Frame<_, _>>; typedefof<Deedle.Series<_, _>>; typeof<Plotly.NET.GenericChart> ] do
    Formatter.Register(shown, Action<obj, TextWriter>(fun value writer -> writer.Write(display.Html value)), "text/html")
    Formatter.SetPreferredMimeTypesFor(shown, "text/html")
Formatter.Register(typeof<PngImage>, Action<obj, TextWriter>(fun value writer -> writer.Write(NotebookDisplay.PngBase64(value :?> PngImage))), "image/png")
Formatter.SetPreferredMimeTypesFor(typeof<PngImage>, "image/png")
