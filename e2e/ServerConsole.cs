namespace WebConsole.E2E;

/// <summary>One console the test server is started with: <c>--Consoles:{Id}:Source={Source}</c>.</summary>
internal sealed record ServerConsole(string Id, string Source)
{
    public static ServerConsole Demo(string id = "demo") => new(id, "demo");

    public static ServerConsole Region(string id, string path) => new(id, $"region:{path}");
}
