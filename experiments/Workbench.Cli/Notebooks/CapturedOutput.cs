using System.Text;

namespace Workbench.Cli.Notebooks;

/// <summary>
/// Stdout and stderr of one cell, in the order written: consecutive writes to the same stream
/// merge into one chunk, so a cell's output becomes as few "stream" outputs as Jupyter would show.
/// </summary>
public sealed class CapturedOutput
{
    readonly object gate = new();
    readonly List<(string Stream, StringBuilder Text)> chunks = new();

    public TextWriter Stdout => new ChunkWriter(this, "stdout");
    public TextWriter Stderr => new ChunkWriter(this, "stderr");

    public IReadOnlyList<(string Stream, string Text)> Chunks
    {
        get { lock (gate) return chunks.Select(c => (c.Stream, c.Text.ToString())).Where(c => c.Item2.Length > 0).ToList(); }
    }

    void Append(string stream, string text)
    {
        if (string.IsNullOrEmpty(text)) return;
        lock (gate)
        {
            if (chunks.Count == 0 || chunks[^1].Stream != stream) chunks.Add((stream, new StringBuilder()));
            chunks[^1].Text.Append(text);
        }
    }

    sealed class ChunkWriter(CapturedOutput owner, string stream) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;
        public override void Write(char value) => owner.Append(stream, value.ToString());
        public override void Write(string? value) => owner.Append(stream, value ?? "");
        public override void Write(char[] buffer, int index, int count) => owner.Append(stream, new string(buffer, index, count));
        public override void WriteLine(string? value) => owner.Append(stream, (value ?? "") + "\n");
    }
}
