// CRAM assignment on real features (issue 16 item 1): mean assignment entropy of each SNL CRAM on the
// teacher features of held-out normal MVTec bottle images (ImageNet ResNet-18 from ../shared, 128 px),
//   (a) as CRAM was before: centres uniform in [0,1), T = τ·C with τ = 1;
//   (b) as it is now: centres = k-means of 64 training images' features, T calibrated to 1 nat.
// log K (K = 32) is a uniform assignment. Also the spread of the aggregated vectors m across positions
// relative to the features' own spread (0 = the same m everywhere).
//   dotnet fsi experiments/diagnostics/cram-assignment.fsx > results/snl-cram/assignment.md
#load "../Prelude.fsx"
open System.IO
open TorchSharp
open Workbench.Imaging
open Workbench.Methods
open Workbench.Methods.Snl

let shared = Path.GetFullPath(Path.Combine(__SOURCE_DIRECTORY__, "../../../shared"))
let weights = Path.Combine(shared, "weights/resnet18-imagenet1k-v1-layer1to3-bnfolded.safetensors")
let bottle = Path.Combine(shared, "data/mvtec_ad/bottle")
if not (File.Exists weights && Directory.Exists bottle) then failwithf "needs %s and %s" weights bottle
let size = 128

let images folder (names: string seq) =
    torch.cat([| for n in names ->
                   let img = Resize.Bilinear(ImageDecoder.DecodeRgb(Path.Combine(folder, n)), size, size)
                   use chw = ImageTensors.ToTensor img
                   use norm = ImageTensors.NormalizeImageNet chw
                   norm.unsqueeze 0 |], 0L)
let pngs folder = Directory.GetFiles(folder, "*.png") |> Array.map Path.GetFileName |> Array.sort
let train = images (Path.Combine(bottle, "train/good")) (pngs (Path.Combine(bottle, "train/good")) |> Array.truncate 64)
let held = images (Path.Combine(bottle, "test/good")) (pngs (Path.Combine(bottle, "test/good")))

printfn "| method | CRAM (teacher level, C) | log K | entropy before (random centres, T = C) | entropy now (k-means, calibrated T) | spread of m / spread of f, before | now |"
printfn "|---|---|---|---|---|---|---|"
for name in [ "snl-rd"; "snl-fd" ] do
    let cfg = MethodOptions.Apply(MethodFactory.DefaultConfig name, [ "Teacher=resnet18"; "TeacherWeights=" + weights ])
    use m = MethodFactory.Create(cfg, torch.CPU, 0) :?> SnlMethod
    let t = m.TeacherNetwork.Forward held
    let student = box m.Student :?> ICramStudent
    // (a) before: the placeholder centres the constructor draws (U[0,1)) and T = C, computed directly
    let before =
        [ for i in 0 .. m.Crams.Count - 1 ->
            let f = t.[student.TeacherLevelOf i]
            let c = f.shape.[1]
            let x = f.permute(0L, 2L, 3L, 1L).reshape(-1L, c)
            let centres = m.Crams.[i].Centres.detach()
            let a = torch.nn.functional.softmax(-(KMeans.SquaredDistances(x, centres)) / float c, 1L)
            let h = (-(a * a.clamp_min(1e-12).log()).sum(1L)).mean().item<float32>()
            let mm = a.mm centres
            float h, float (mm.std([| 0L |]).mean().item<float32>() / x.std([| 0L |]).mean().item<float32>()) ]
    m.InitialiseFrom([ train ], 0)
    for i in 0 .. m.Crams.Count - 1 do
        let cram = m.Crams.[i]
        let f = t.[student.TeacherLevelOf i]
        let x = f.permute(0L, 2L, 3L, 1L).reshape(-1L, f.shape.[1])
        let mm = cram.Assignments(f).mm(cram.Centres)
        let spread = float (mm.std([| 0L |]).mean().item<float32>() / x.std([| 0L |]).mean().item<float32>())
        let hb, sb = before.[i]
        printfn "| %s | %d (layer%d, %d) | %.3f | %.3f | %.3f | %.3f | %.3f |" name i (student.TeacherLevelOf i + 1) f.shape.[1]
            (log (float cram.CentreCount)) hb (cram.AssignmentEntropy f) sb spread
printfn ""
printfn "Held-out: the %d good test images of bottle; centres from the first 64 training images; seed 0." (int held.shape.[0])
