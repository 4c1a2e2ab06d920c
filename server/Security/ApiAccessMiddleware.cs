namespace WebConsole.Security;

/// <summary>
/// Everything under <c>/api</c> (the console list, thumbnails, tickets) and <c>/metrics</c> (unless
/// <c>Security:OpenMetrics</c>) needs an API key once keys are configured: none gives 401, a wrong
/// one 403. With no key configured, local callers only.
/// </summary>
internal sealed partial class ApiAccessMiddleware(RequestDelegate next, OperatorAccess access, ILogger<ApiAccessMiddleware> logger)
{
    public static readonly PathString ApiPath = "/api";

    private readonly ILogger _logger = logger;

    public async Task InvokeAsync(HttpContext context)
    {
        PathString path = context.Request.Path;
        bool guarded = path.StartsWithSegments(ApiPath) || (!access.OpenMetrics && path.StartsWithSegments(OperatorAccess.MetricsPath));
        if (guarded)
        {
            OperatorRefusal refusal = access.Check(context);
            if (refusal != OperatorRefusal.None)
            {
                LogRefused(path, context.Connection.RemoteIpAddress?.ToString(), OperatorAccess.Describe(refusal));
                await OperatorAccess.RefuseAsync(context, refusal).ConfigureAwait(false);
                return;
            }
        }
        await next(context).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused API request {Path} (remote {RemoteIp}): {Reason}")]
    private partial void LogRefused(PathString path, string? remoteIp, string reason);
}
