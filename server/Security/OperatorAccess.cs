namespace WebConsole.Security;

/// <summary>
/// Who may use the API (<c>/api</c>) and read the operational detail (<c>/metrics</c>, the per-console
/// part of <c>/healthz</c>): with keys configured, a caller presenting one of <c>Security:ApiKeys</c>;
/// with none, local callers only. <c>Security:OpenMetrics</c> opens the operational endpoints to
/// anyone (a scrape network) without opening the API.
/// </summary>
internal sealed class OperatorAccess(AccessPolicy access, ApiKeyVerifier keys, Microsoft.Extensions.Options.IOptions<SecurityOptions> options)
{
    public static readonly PathString MetricsPath = "/metrics";

    /// <summary>True when <c>/metrics</c> and the detailed <c>/healthz</c> need no key.</summary>
    public bool OpenMetrics { get; } = options.Value.OpenMetrics;

    public OperatorRefusal Check(HttpContext context)
    {
        if (access.Anonymous)
        {
            return AccessPolicy.IsLocal(context) ? OperatorRefusal.None : OperatorRefusal.NotLocal;
        }
        string? key = ApiKeyVerifier.Read(context.Request);
        if (string.IsNullOrEmpty(key))
        {
            return OperatorRefusal.NoKey;
        }
        return keys.IsValid(key) ? OperatorRefusal.None : OperatorRefusal.WrongKey;
    }

    /// <summary>True when the caller may see console ids, states and reasons.</summary>
    public bool MaySeeDetail(HttpContext context) => OpenMetrics || Check(context) == OperatorRefusal.None;

    /// <summary>The refusal as the API answers it: 403 for a remote caller or a wrong key, 401 (with a challenge) for none.</summary>
    public static Task RefuseAsync(HttpContext context, OperatorRefusal refusal)
    {
        IResult result = refusal switch
        {
            OperatorRefusal.NotLocal => Results.Json(new { error = TicketFailures.Denied(TicketFailure.LoopbackOnly) }, statusCode: StatusCodes.Status403Forbidden),
            OperatorRefusal.NoKey => Results.Json(new { error = $"an API key is required: send it as {ApiKeyVerifier.HeaderName} or Authorization: Bearer" },
                statusCode: StatusCodes.Status401Unauthorized),
            _ => Results.Json(new { error = "the API key is not valid" }, statusCode: StatusCodes.Status403Forbidden),
        };
        if (refusal == OperatorRefusal.NoKey)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }
        return result.ExecuteAsync(context);
    }

    public static string Describe(OperatorRefusal refusal) => refusal switch
    {
        OperatorRefusal.NotLocal => "not a loopback caller",
        OperatorRefusal.NoKey => "no API key",
        _ => "wrong API key",
    };
}
