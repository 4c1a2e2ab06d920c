using Microsoft.Extensions.Options;
using WebConsole.Consoles;
using WebConsole.Streaming;

namespace WebConsole.Security;

/// <summary><c>POST /api/consoles/{id}/tickets</c>: a dashboard backend (API key checked by <see cref="ApiAccessMiddleware"/>) asks for a ticket.</summary>
internal static partial class TicketEndpoints
{
    public static IEndpointRouteBuilder MapWebConsoleTickets(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/consoles/{id}/tickets", Mint);
        return endpoints;
    }

    private static IResult Mint(
        string id, TicketRequest? request, ConsoleCatalog registry, AccessPolicy access, TicketService tickets,
        IOptions<SecurityOptions> options, ILoggerFactory loggers, HttpContext http)
    {
        if (!registry.TryGetEntry(id, out ConsoleEntry? console))
        {
            return Results.NotFound(new { error = $"unknown console '{id}'" });
        }
        if (access.Anonymous)
        {
            return Results.Conflict(new { error = "tickets are not in use: configure Security:ApiKeys or Security:TicketSigningKey" });
        }
        if (!TicketService.TryParseLevel(request?.Permission, out AccessLevel permission))
        {
            return Results.BadRequest(new { error = "permission must be 'view' or 'control'" });
        }
        SecurityOptions settings = options.Value;
        int ttl = request?.TtlSeconds ?? settings.TicketLifetimeSeconds;
        if (ttl < 1 || ttl > settings.MaxTicketLifetimeSeconds)
        {
            return Results.BadRequest(new { error = $"ttlSeconds must be 1 to {settings.MaxTicketLifetimeSeconds} (Security:MaxTicketLifetimeSeconds)" });
        }
        bool singleUse = request?.SingleUse ?? true;
        Sources.Clipboard.ClipboardDirections? clipboard = null;
        if (request?.Clipboard is { } clip)
        {
            if (!Sources.Clipboard.ClipboardText.TryParseDirections(clip, out Sources.Clipboard.ClipboardDirections parsed))
            {
                return Results.BadRequest(new { error = $"clipboard must be {Sources.Clipboard.ClipboardText.DirectionNames}" });
            }
            clipboard = parsed;
        }
        var (token, expiresAt) = tickets.Mint(id, permission, TimeSpan.FromSeconds(ttl), singleUse, console!.Incarnation, clipboard);
        ILogger logger = loggers.CreateLogger(typeof(TicketEndpoints).FullName!);
        string level = TicketService.Format(permission);
        LogMinted(logger, id, level, ttl, singleUse);
        return Results.Ok(new TicketResponse(token, expiresAt, $"{http.Request.PathBase}/console/{Uri.EscapeDataString(id)}#ticket={token}"));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Minted a {Permission} ticket for console {ConsoleId}, valid {TtlSeconds} s, single use {SingleUse}")]
    private static partial void LogMinted(ILogger logger, string consoleId, string permission, int ttlSeconds, bool singleUse);
}
