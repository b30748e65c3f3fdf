using System.CommandLine;
using TorchSharp;
using Workbench.Runtime;
using static TorchSharp.torch;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Workbench.Cli.Commands;

/// <summary>`workbench smoke`: a tiny distillation on seeded random data (a frozen random conv
/// "teacher", a student trained with Adam to match it), to prove forward, backward and the
/// optimiser work on the chosen device. Channel counts are multiples of 16 (see Runtime/OneDnn.cs).</summary>
public static class SmokeCommand
{
    public static Command Create()
    {
        var steps = new Option<int>("--steps") { Description = "optimiser steps", DefaultValueFactory = _ => 30 };
        var seed = new Option<int>("--seed") { Description = "random seed", DefaultValueFactory = _ => 0 };
        var cmd = new Command("smoke", "Train a tiny conv net for a few steps on random data (native stack check).") { steps, seed };
        cmd.SetAction(parse =>
        {
            var device = GlobalOptions.Apply(parse);
            Seeding.Seed(parse.GetValue(seed));
            int n = parse.GetValue(steps);
            if (n <= 0) throw new ArgumentException("--steps must be positive");
            Module<Tensor, Tensor> Net() => nn.Sequential(
                nn.Conv2d(3, 16, 3, padding: 1), nn.ReLU(),
                nn.Conv2d(16, 16, 3, padding: 1)).to(device);
            var teacher = Net();
            teacher.eval();
            foreach (var p in teacher.parameters()) p.requires_grad = false;
            var net = Net();
            var opt = optim.Adam(net.parameters(), lr: 1e-2);
            using var x = rand(8, 3, 32, 32, device: device);
            using var target = teacher.forward(x);
            float first = 0, last = 0;
            using (var bar = ProgressSinks.ForConsole().Start("smoke", n, "steps"))
            {
                for (int i = 0; i < n; i++)
                {
                    opt.zero_grad();
                    using (var scope = NewDisposeScope())
                    {
                        var loss = nn.functional.mse_loss(net.forward(x), target);
                        loss.backward();
                        last = loss.item<float>();
                    }
                    opt.step();
                    if (i == 0) first = last;
                    bar.Advance(1, $"loss {last:F4}");
                }
            }
            Console.WriteLine($"smoke: {n} Adam steps on {device}: distillation loss {first:F4} -> {last:F4}");
            if (!(last < first)) { Console.Error.WriteLine("smoke: loss did not decrease"); return 1; }
            return 0;
        });
        return cmd;
    }
}
