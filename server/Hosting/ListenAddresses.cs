namespace WebConsole.Hosting;

/// <summary>What the configuration says the server listens on (<c>Urls</c> and <c>Kestrel:Endpoints:*:Url</c>), read before it starts.</summary>
internal static class ListenAddresses
{
    /// <summary>True when <c>Kestrel:Endpoints</c> names at least one endpoint (then <c>Urls</c> is not used).</summary>
    public static bool HasKestrelEndpoints(IConfiguration configuration) =>
        configuration.GetSection("Kestrel:Endpoints").GetChildren().Any(e => !string.IsNullOrEmpty(e["Url"]));

    /// <summary>Every configured address.</summary>
    public static IEnumerable<string> All(IConfiguration configuration) =>
        HasKestrelEndpoints(configuration)
            ? configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>()
            : (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>An https address on something other than loopback: the case for redirecting HTTP and for HSTS by default.</summary>
    public static bool ServesHttpsBeyondLoopback(IConfiguration configuration) =>
        All(configuration).Any(u => u.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        && All(configuration).Any(u => !IsLoopback(u));

    /// <summary>127.0.0.0/8, [::1] and localhost; <c>*</c>, <c>+</c>, 0.0.0.0 and names are not.</summary>
    public static bool IsLoopback(string url)
    {
        int start = url.IndexOf("://", StringComparison.Ordinal);
        string rest = start < 0 ? url : url[(start + 3)..];
        string host = rest.StartsWith('[') ? rest[..(rest.IndexOf(']', StringComparison.Ordinal) + 1)] : rest.Split(':', '/')[0];
        return host is "localhost" or "[::1]" || host.StartsWith("127.", StringComparison.Ordinal);
    }
}
