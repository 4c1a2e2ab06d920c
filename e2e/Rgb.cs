namespace WebConsole.E2E;

/// <summary>An opaque colour.</summary>
internal readonly record struct Rgb(byte R, byte G, byte B)
{
    public override string ToString() => $"rgb({R}, {G}, {B})";
}
