using Workbench.Data.Synthesis;

namespace Workbench.Methods.Dmdd;

/// <summary>The texture source the config names: procedural ("") or a folder read by the data layer.</summary>
public static class DmddTextures
{
    public static ITextureSource For(string folder) =>
        string.IsNullOrWhiteSpace(folder) ? new ProceduralTextureSource() : new FolderTextureSource(folder);
}
