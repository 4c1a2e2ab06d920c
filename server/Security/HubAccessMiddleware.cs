namespace WebConsole.Security;

/// <summary>
/// Guards the hub's HTTP requests (negotiate, WebSocket upgrade, SSE, long polling): a browser
/// Origin outside the server's own and <c>Security:AllowedOrigins</c> gets 403, a missing or bad
/// ticket 401 with "access denied: reason" as the body (the SignalR client shows it). The ticket is
/// checked again, and a single-use one consumed, when the hub connection starts (<see cref="AccessHubFilter"/>).
/// </summary>
internal sealed partial class HubAccessMiddleware(RequestDelegate next, OriginPolicy origins, AccessPolicy access, ILogger<HubAccessMiddleware> logger)
{
    public static readonly PathString HubPath = "/hubs";

    private readonly ILogger _logger = logger;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(HubPath))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        if (!origins.IsAllowed(context.Request, out string? origin))
        {
            LogRefusedOrigin(origin, context.Request.Path, context.Connection.RemoteIpAddress?.ToString());
            await RefuseAsync(context, StatusCodes.Status403Forbidden, $"access denied: origin {origin} is not allowed").ConfigureAwait(false);
            return;
        }
        if (HttpMethods.IsOptions(context.Request.Method))
        {
            await next(context).ConfigureAwait(false); // a CORS preflight carries no ticket
            return;
        }
        AccessDecision decision = await access.CheckAsync(context, consume: false).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            LogRefusedTicket(TicketFailures.Describe(decision.Failure), context.Request.Path, context.Connection.RemoteIpAddress?.ToString());
            int status = decision.Failure == TicketFailure.LoopbackOnly ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized;
            await RefuseAsync(context, status, TicketFailures.Denied(decision.Failure)).ConfigureAwait(false);
            return;
        }
        await next(context).ConfigureAwait(false);
    }

    private static Task RefuseAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused hub request {Path} from origin {Origin} (remote {RemoteIp}): not the server's own origin nor in Security:AllowedOrigins")]
    private partial void LogRefusedOrigin(string? origin, PathString path, string? remoteIp);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused hub request {Path} (remote {RemoteIp}): {Reason}")]
    private partial void LogRefusedTicket(string reason, PathString path, string? remoteIp);
}
