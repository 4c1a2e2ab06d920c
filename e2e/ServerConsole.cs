namespace WebConsole.E2E;

/// <summary>
/// One console the test server is started with: <c>--Consoles:{Id}:Source={Source}</c>, and
/// <c>--Consoles:{Id}:Display={Display}</c> for an xwd console that takes input.
/// </summary>
internal sealed record ServerConsole(string Id, string Source, string? Display = null)
{
    public static ServerConsole Demo(string id = "demo") => new(id, "demo");

    public static ServerConsole Region(string id, string path) => new(id, $"region:{path}");
}
