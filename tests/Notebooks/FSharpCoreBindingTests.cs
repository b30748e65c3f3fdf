using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Workbench.Cli.Notebooks;

namespace Workbench.Tests.Notebooks;

/// <summary>
/// notebooks/FSharpCoreBinding.fsx binds the workbench's libraries, built against FSharp.Core 10.1, to the
/// kernel's older FSharp.Core. That is sound only while every FSharp.Core type and member they reference
/// exists in the kernel's copy: checked here from the assemblies' metadata (by type and member name; a
/// member whose signature changed between the versions would still pass, one that was added would not).
/// </summary>
public class FSharpCoreBindingTests
{
    static readonly string CoreBin = Path.Combine(NotebookFiles.RepoRoot, "core", "bin", "Debug", "net10.0");

    static string KernelFSharpCore()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                       ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var tools = Path.Combine(packages, KernelTool.ToolId, KernelTool.PinnedVersion(NotebookFiles.RepoRoot), "tools");
        return Directory.Exists(tools) ? Directory.GetFiles(tools, "FSharp.Core.dll", SearchOption.AllDirectories).Single()
                                       : throw new DirectoryNotFoundException($"{tools}: the kernel is not restored");
    }

    [SkippableFact]
    public void EveryFSharpCoreMemberTheNotebookLibrariesUseExistsInTheKernels()
    {
        KernelRequirement.SkipUnlessRestored();
        var kernel = FSharpCoreApi.Read(KernelFSharpCore());
        var checkedAssemblies = new List<string>();
        var missing = new List<string>();
        foreach (var dll in Directory.GetFiles(CoreBin, "*.dll").Where(f => Path.GetFileName(f) != "FSharp.Core.dll"))
        {
            var used = FSharpCoreApi.UsedBy(dll);
            if (used == null) continue; // not a managed assembly, or it does not reference FSharp.Core
            checkedAssemblies.Add(Path.GetFileName(dll));
            missing.AddRange(used.Where(u => !kernel.Contains(u)).Select(u => $"{Path.GetFileName(dll)}: {u}"));
        }
        Assert.Contains("Deedle.dll", checkedAssemblies);
        Assert.Contains("Plotly.NET.dll", checkedAssemblies);
        Assert.True(missing.Count == 0, $"missing from the kernel's FSharp.Core {KernelFSharpCore()}:\n" + string.Join("\n", missing.Distinct()));
    }

    [Fact]
    public void TheCheckSeesAMemberThatIsAbsent()
    {
        var own = FSharpCoreApi.Read(Path.Combine(CoreBin, "FSharp.Core.dll"));
        Assert.Contains("Microsoft.FSharp.Collections.ListModule::Map", own);
        Assert.DoesNotContain("Microsoft.FSharp.Collections.ListModule::NoSuchFunction", own);
        Assert.Contains(FSharpCoreApi.UsedBy(Path.Combine(CoreBin, "Deedle.dll"))!, u => u.StartsWith("Microsoft.FSharp.Core.FSharpOption`1::", StringComparison.Ordinal));
    }
}

/// <summary>FSharp.Core's API as "Namespace.Type" and "Namespace.Type::Member" names, read from metadata without loading anything.</summary>
static class FSharpCoreApi
{
    public static HashSet<string> Read(string fsharpCore)
    {
        using var pe = new PEReader(File.OpenRead(fsharpCore));
        var md = pe.GetMetadataReader();
        var names = new HashSet<string>();
        foreach (var h in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(h);
            var name = FullName(md, h);
            names.Add(name);
            foreach (var m in type.GetMethods()) names.Add($"{name}::{md.GetString(md.GetMethodDefinition(m).Name)}");
            foreach (var f in type.GetFields()) names.Add($"{name}::{md.GetString(md.GetFieldDefinition(f).Name)}");
        }
        return names;
    }

    /// <summary>The FSharp.Core types and members <paramref name="assembly"/> references; null when it references no FSharp.Core.</summary>
    public static HashSet<string>? UsedBy(string assembly)
    {
        using var pe = new PEReader(File.OpenRead(assembly));
        if (!pe.HasMetadata) return null;
        var md = pe.GetMetadataReader();
        var fsharpCore = md.AssemblyReferences.Cast<AssemblyReferenceHandle?>()
            .FirstOrDefault(h => md.GetString(md.GetAssemblyReference(h!.Value).Name) == "FSharp.Core");
        if (fsharpCore == null) return null;
        var used = new HashSet<string>();
        foreach (var h in md.TypeReferences)
            if (InFSharpCore(md, h, fsharpCore.Value)) used.Add(FullName(md, h));
        foreach (var h in md.MemberReferences)
        {
            var member = md.GetMemberReference(h);
            var parent = member.Parent.Kind switch
            {
                HandleKind.TypeReference => (TypeReferenceHandle?)member.Parent,
                HandleKind.TypeSpecification => GenericDefinition(md, (TypeSpecificationHandle)member.Parent),
                _ => null,
            };
            if (parent is { } p && InFSharpCore(md, p, fsharpCore.Value)) used.Add($"{FullName(md, p)}::{md.GetString(member.Name)}");
        }
        return used;
    }

    /// <summary>The type reference a generic instantiation (FSharpList&lt;int&gt;) is made from.</summary>
    static TypeReferenceHandle? GenericDefinition(MetadataReader md, TypeSpecificationHandle spec)
    {
        var blob = md.GetBlobReader(md.GetTypeSpecification(spec).Signature);
        if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance) return null;
        blob.ReadSignatureTypeCode(); // class or value type
        var handle = blob.ReadTypeHandle();
        return handle.Kind == HandleKind.TypeReference ? (TypeReferenceHandle)handle : null;
    }

    static bool InFSharpCore(MetadataReader md, TypeReferenceHandle h, AssemblyReferenceHandle fsharpCore)
    {
        var scope = md.GetTypeReference(h).ResolutionScope;
        return scope.Kind switch
        {
            HandleKind.AssemblyReference => (AssemblyReferenceHandle)scope == fsharpCore,
            HandleKind.TypeReference => InFSharpCore(md, (TypeReferenceHandle)scope, fsharpCore), // nested type
            _ => false,
        };
    }

    static string FullName(MetadataReader md, TypeReferenceHandle h)
    {
        var t = md.GetTypeReference(h);
        return t.ResolutionScope.Kind == HandleKind.TypeReference
            ? $"{FullName(md, (TypeReferenceHandle)t.ResolutionScope)}/{md.GetString(t.Name)}"
            : Qualified(md.GetString(t.Namespace), md.GetString(t.Name));
    }

    static string FullName(MetadataReader md, TypeDefinitionHandle h)
    {
        var t = md.GetTypeDefinition(h);
        var declaring = t.GetDeclaringType();
        return declaring.IsNil ? Qualified(md.GetString(t.Namespace), md.GetString(t.Name)) : $"{FullName(md, declaring)}/{md.GetString(t.Name)}";
    }

    static string Qualified(string ns, string name) => ns.Length == 0 ? name : $"{ns}.{name}";
}
