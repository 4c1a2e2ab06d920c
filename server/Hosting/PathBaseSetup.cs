namespace WebConsole.Hosting;

/// <summary>
/// <c>PathBase</c> (e.g. <c>/h/host1</c>): the prefix under which a proxy that does not strip it
/// serves this server. A proxy that strips it says so with <c>X-Forwarded-Prefix</c> instead
/// (believed from <c>Proxy:KnownProxies</c>). Either way the page's links, its API calls and its
/// hub URL are relative to where the page was loaded, and the tickets' URLs carry the prefix.
/// </summary>
internal static class PathBaseSetup
{
    public const string Key = "PathBase";

    public static WebApplication UseWebConsolePathBase(this WebApplication app)
    {
        string? value = app.Configuration[Key];
        if (string.IsNullOrEmpty(value))
        {
            return app;
        }
        if (!IsValid(value))
        {
            throw new InvalidOperationException($"{Key} '{value}' must start with '/', not end with '/', and hold only URL path characters (e.g. /h/host1)");
        }
        app.UsePathBase(value);
        return app;
    }

    public static bool IsValid(string value) =>
        value.Length > 1 && value[0] == '/' && value[^1] != '/' && !value.Contains("//", StringComparison.Ordinal)
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_' or '.' or '~');
}
