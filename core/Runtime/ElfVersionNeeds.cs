// Reads and edits the version requirements (.gnu.version_r, SHT_GNU_verneed) of an ELF64
// little-endian shared library. Used to make TorchSharp's libLibTorchSharp.so load on
// systems whose libstdc++ is older than the one it was linked against (Debian 12: GCC 12).
//
// Why this is safe: TorchSharp 0.107.0 asks for GLIBCXX_3.4.32 only because of
// std::ios_base_library_init(), a link-time marker symbol GCC 13 emits and nothing calls.
// glibc's loader treats a requirement flagged VER_FLG_WEAK as non-fatal when the version is
// missing (elf/dl-version.c), so flagging that one entry lets the library load unchanged.
// Format: System V gABI + LSB "Symbol Versioning" (Elf64_Verneed / Elf64_Vernaux).
//
// This file is compiled into Workbench.Core (to report the fix in `workbench info`) and by
// MSBuild's RoslynCodeTaskFactory (Directory.Build.targets) to patch the build output.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Workbench.Runtime
{
    /// <summary>One version a library requires from one of its dependencies.</summary>
    /// (A class, not a record: MSBuild's task factory compiles this file against netstandard.)
    public sealed class ElfVersionNeed
    {
        public ElfVersionNeed(string file, string version, bool weak, long flagsOffset)
        { File = file; Version = version; Weak = weak; FlagsOffset = flagsOffset; }
        public string File { get; }
        public string Version { get; }
        public bool Weak { get; }
        public long FlagsOffset { get; }
    }

    public static class ElfVersionNeeds
    {
        public const ushort VerFlgWeak = 0x2;
        const uint ShtGnuVerneed = 0x6ffffffe;

        /// <summary>Lists every (dependency, version) requirement of an ELF64 LE file.</summary>
        public static List<ElfVersionNeed> Read(byte[] elf, string pathForErrors)
        {
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException($"{pathForErrors}: not an ELF file");
            if (elf[4] != 2 || elf[5] != 1)
                throw new InvalidDataException($"{pathForErrors}: only 64-bit little-endian ELF is supported");

            long shoff = (long)BitConverter.ToUInt64(elf, 0x28);
            int shentsize = BitConverter.ToUInt16(elf, 0x3A);
            int shnum = BitConverter.ToUInt16(elf, 0x3C);
            var result = new List<ElfVersionNeed>();
            for (int i = 0; i < shnum; i++)
            {
                long sh = shoff + (long)i * shentsize;
                if (BitConverter.ToUInt32(elf, (int)sh + 4) != ShtGnuVerneed) continue;
                long offset = (long)BitConverter.ToUInt64(elf, (int)sh + 0x18);
                int link = (int)BitConverter.ToUInt32(elf, (int)sh + 0x28);
                int count = (int)BitConverter.ToUInt32(elf, (int)sh + 0x2C);
                long strtab = (long)BitConverter.ToUInt64(elf, (int)(shoff + (long)link * shentsize) + 0x18);

                long vn = offset;
                for (int n = 0; n < count; n++)
                {
                    int cnt = BitConverter.ToUInt16(elf, (int)vn + 2);
                    string file = CString(elf, strtab + BitConverter.ToUInt32(elf, (int)vn + 4));
                    long aux = vn + BitConverter.ToUInt32(elf, (int)vn + 8);
                    for (int a = 0; a < cnt; a++)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                        string name = CString(elf, strtab + BitConverter.ToUInt32(elf, (int)aux + 8));
                        result.Add(new ElfVersionNeed(file, name, (flags & VerFlgWeak) != 0, aux + 4));
                        aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                    }
                    uint next = BitConverter.ToUInt32(elf, (int)vn + 12);
                    if (next == 0) break;
                    vn += next;
                }
            }
            return result;
        }

        /// <summary>Flags the given versions weak in place; returns the ones changed.</summary>
        public static List<string> MarkWeak(byte[] elf, string pathForErrors, ICollection<string> versions)
        {
            var changed = new List<string>();
            foreach (var need in Read(elf, pathForErrors))
            {
                if (need.Weak || !versions.Contains(need.Version)) continue;
                ushort flags = (ushort)(BitConverter.ToUInt16(elf, (int)need.FlagsOffset) | VerFlgWeak);
                elf[need.FlagsOffset] = (byte)(flags & 0xff);
                elf[need.FlagsOffset + 1] = (byte)(flags >> 8);
                changed.Add(need.Version);
            }
            return changed;
        }

        /// <summary>The system libstdc++ the dynamic loader would pick, or null when none is found.</summary>
        public static string? FindSystemLibStdCxx()
        {
            string[] dirs = { "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
                              "/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib" };
            foreach (var d in dirs)
            {
                var p = Path.Combine(d, "libstdc++.so.6");
                if (File.Exists(p)) return p;
            }
            return null;
        }

        /// <summary>True when the library file defines the version string (e.g. GLIBCXX_3.4.32).</summary>
        public static bool LibraryDefinesVersion(string libraryPath, string version)
        {
            var bytes = File.ReadAllBytes(libraryPath);
            var needle = Encoding.ASCII.GetBytes(version + "\0");
            return IndexOf(bytes, needle) >= 0;
        }

        static int IndexOf(byte[] hay, byte[] needle)
        {
            for (int i = 0; i <= hay.Length - needle.Length; i++)
            {
                if (hay[i] != needle[0]) continue;
                int j = 1;
                while (j < needle.Length && hay[i + j] == needle[j]) j++;
                if (j == needle.Length && (i == 0 || hay[i - 1] == 0)) return i;
            }
            return -1;
        }

        static string CString(byte[] b, long at)
        {
            long end = at;
            while (end < b.Length && b[end] != 0) end++;
            return Encoding.ASCII.GetString(b, (int)at, (int)(end - at));
        }
    }
}

#if !WORKBENCH_CORE
namespace Workbench.Build
{
    /// <summary>MSBuild task: weakens the listed version needs of the copied native libraries,
    /// only for versions the system libstdc++ does not define.</summary>
    public sealed class WeakenMissingVersionNeeds : Microsoft.Build.Utilities.Task
    {
        [Microsoft.Build.Framework.Required] public Microsoft.Build.Framework.ITaskItem[] Libraries { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();
        [Microsoft.Build.Framework.Required] public string Versions { get; set; } = "";
        /// <summary>Flag the versions weak even when this machine's libstdc++ has them: for output that runs
        /// elsewhere (the GPU bundle). Harmless where the version exists.</summary>
        public bool Always { get; set; }

        public override bool Execute()
        {
            if (!System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux)) return true;
            var stdcxx = Workbench.Runtime.ElfVersionNeeds.FindSystemLibStdCxx();
            var wanted = new HashSet<string>();
            foreach (var raw in Versions.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var v = raw.Trim();
                if (Always || stdcxx == null || !Workbench.Runtime.ElfVersionNeeds.LibraryDefinesVersion(stdcxx, v)) wanted.Add(v);
            }
            if (wanted.Count == 0) return true;

            foreach (var item in Libraries)
            {
                var path = item.ItemSpec;
                var bytes = File.ReadAllBytes(path);
                var changed = Workbench.Runtime.ElfVersionNeeds.MarkWeak(bytes, path, wanted);
                if (changed.Count == 0) continue;
                // Write a new file and move it over: never edit a hard-linked NuGet cache copy in place.
                var tmp = path + ".weak.tmp";
                File.WriteAllBytes(tmp, bytes);
                File.Delete(path);
                File.Move(tmp, path);
                Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High,
                    $"TorchNativeFix: {path}: marked {string.Join(", ", changed)} weak " +
                    (Always ? "(asked for: output meant for other machines)" : $"(system libstdc++ {stdcxx ?? "not found"} lacks it)"));
            }
            return true;
        }
    }
}
#endif
