namespace WebConsole.Security;

/// <summary>
/// Everything under <c>/api</c> (the console list, thumbnails, tickets) needs an API key once keys are
/// configured: none gives 401, a wrong one 403. With no key configured, local callers only.
/// </summary>
internal sealed partial class ApiAccessMiddleware(RequestDelegate next, AccessPolicy access, ApiKeyVerifier keys, ILogger<ApiAccessMiddleware> logger)
{
    public static readonly PathString ApiPath = "/api";

    private readonly ILogger _logger = logger;

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(ApiPath))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        string? remote = context.Connection.RemoteIpAddress?.ToString();
        if (access.Anonymous)
        {
            if (!AccessPolicy.IsLocal(context))
            {
                LogRefused(context.Request.Path, remote, "not a loopback caller");
                await Results.Json(new { error = TicketFailures.Denied(TicketFailure.LoopbackOnly) }, statusCode: StatusCodes.Status403Forbidden)
                    .ExecuteAsync(context).ConfigureAwait(false);
                return;
            }
        }
        else
        {
            string? key = ApiKeyVerifier.Read(context.Request);
            if (string.IsNullOrEmpty(key))
            {
                LogRefused(context.Request.Path, remote, "no API key");
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await Results.Json(new { error = $"an API key is required: send it as {ApiKeyVerifier.HeaderName} or Authorization: Bearer" },
                    statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context).ConfigureAwait(false);
                return;
            }
            if (!keys.IsValid(key))
            {
                LogRefused(context.Request.Path, remote, "wrong API key");
                await Results.Json(new { error = "the API key is not valid" }, statusCode: StatusCodes.Status403Forbidden)
                    .ExecuteAsync(context).ConfigureAwait(false);
                return;
            }
        }
        await next(context).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused API request {Path} (remote {RemoteIp}): {Reason}")]
    private partial void LogRefused(PathString path, string? remoteIp, string reason);
}
