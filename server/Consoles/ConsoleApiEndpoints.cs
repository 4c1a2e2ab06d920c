using Microsoft.AspNetCore.Http.HttpResults;
using WebConsole.Hosting;
using WebConsole.Streaming;

namespace WebConsole.Consoles;

/// <summary>
/// The console set over HTTP, under <c>/api</c> (an operator's API key, see ApiAccessMiddleware):
/// list, wait for a change, create or change (<c>PUT</c>), remove (<c>DELETE</c>), thumbnail.
/// None of these waits on a source.
/// </summary>
internal static class ConsoleApiEndpoints
{
    /// <summary>How long <c>GET /api/consoles/changes</c> holds a request when nothing changes.</summary>
    public static readonly TimeSpan ChangeWait = TimeSpan.FromSeconds(25);

    public static IEndpointRouteBuilder MapConsoleApi(this IEndpointRouteBuilder endpoints)
    {
        RouteGroupBuilder api = endpoints.MapGroup("/api/consoles").WithTags("Consoles");
        api.MapGet("", ListAsync).WithName("ListConsoles")
            .WithSummary("Every console: state as last read (a stuck source says so), size, viewers, and origin (configuration, api or libvirt).");
        api.MapGet("/changes", ChangesAsync).WithName("WaitForConsoleChange")
            .WithSummary("Answers with the set's version once it differs from ?after= (at once if it does), or after 25 s: list again when it changed.");
        api.MapPut("/{id}", Put).WithName("PutConsole")
            .WithSummary("Creates the console or points it at another source (its viewers move to it). The same source again changes nothing. 409 for a console from configuration or libvirt, or at Consoles:MaxConsoles.");
        api.MapDelete("/{id}", Delete).WithName("DeleteConsole")
            .WithSummary("Removes a console made through the API: its viewers see 'console removed' and are disconnected; its tickets admit nobody after.");
        api.MapGet("/{id}/thumbnail.png", ThumbnailAsync).WithName("ConsoleThumbnail")
            .WithSummary("A small PNG of the console's current frame; 404 while it has none.");
        return endpoints;
    }

    private static async Task<Ok<List<ConsoleListing>>> ListAsync(ConsoleCatalog catalog) =>
        TypedResults.Ok(await DescribeAsync(catalog.Entries.ToList()).ConfigureAwait(false));

    private static async Task<Ok<ConsoleSetChange>> ChangesAsync(ConsoleCatalog catalog, long? after, CancellationToken aborted)
    {
        long version = await catalog.WaitForChangeAsync(after ?? -1, ChangeWait, aborted).ConfigureAwait(false);
        return TypedResults.Ok(new ConsoleSetChange(version));
    }

    private static Results<Created<ConsolePutResult>, Ok<ConsolePutResult>, BadRequest<ApiError>, Conflict<ApiError>> Put(
        string id, ConsolePutRequest? request, ConsoleCatalog catalog)
    {
        var problems = new List<string>();
        if (!ConsoleDefinition.IsValidId(id) || string.Equals(id, ConsolesOptions.MaxConsolesKey, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"id '{id}': {ConsoleDefinition.IdRule}, and not '{ConsolesOptions.MaxConsolesKey}'");
        }
        if (request is null)
        {
            problems.Add("the body must be JSON: { \"source\": \"...\", \"display\": \"...\" }");
        }
        ConsoleDefinition? definition = null;
        if (request is not null && !ConsoleDefinition.TryCreate("source", request.Source, request.Display, request.Clipboard, out definition, problems))
        {
            // problems holds what is wrong, each naming the field
        }
        if (problems.Count > 0)
        {
            // "source:Source: ..." reads badly: the field names in the body are lower case.
            return TypedResults.BadRequest(new ApiError(string.Join("; ", problems.Select(static p => p.Replace("source:Source:", "source:", StringComparison.Ordinal).Replace("source:Display:", "display:", StringComparison.Ordinal).Replace("source:Clipboard:", "clipboard:", StringComparison.Ordinal)))));
        }
        CatalogResult result = catalog.Set(id, definition!, ConsoleOrigin.Api);
        if (!result.Succeeded)
        {
            return TypedResults.Conflict(new ApiError(result.Reason!));
        }
        ConsoleEntry entry = result.Entry!; // as this PUT left it, even if another request has changed it since
        ConsoleListing listing = Listing(entry, entry.Session.Describe());
        string outcome = result.Outcome.ToString().ToLowerInvariant();
        return result.Outcome == CatalogOutcome.Created
            ? TypedResults.Created($"/api/consoles/{Uri.EscapeDataString(id)}", new ConsolePutResult(outcome, listing))
            : TypedResults.Ok(new ConsolePutResult(outcome, listing));
    }

    private static Results<NoContent, NotFound<ApiError>, Conflict<ApiError>> Delete(string id, ConsoleCatalog catalog)
    {
        CatalogResult result = catalog.Remove(id, ConsoleOrigin.Api);
        return result.Outcome switch
        {
            CatalogOutcome.Removed => TypedResults.NoContent(),
            CatalogOutcome.NotFound => TypedResults.NotFound(new ApiError(result.Reason!)),
            _ => TypedResults.Conflict(new ApiError(result.Reason!)),
        };
    }

    private static async Task<Results<FileContentHttpResult, NotFound>> ThumbnailAsync(string id, ConsoleCatalog catalog)
    {
        if (!catalog.TryGet(id, out ConsoleSession? session))
        {
            return TypedResults.NotFound();
        }
        byte[]? png = await session!.WithFrameAsync(Thumbnail.Encode, Thumbnail.Wait).ConfigureAwait(false);
        return png is null ? TypedResults.NotFound() : TypedResults.File(png, "image/png");
    }

    /// <summary>Every entry's state, the unwatched ones refreshed side by side (none waited on past <see cref="ConsoleSession.DescribeWait"/>).</summary>
    public static async Task<List<ConsoleListing>> DescribeAsync(List<ConsoleEntry> entries)
    {
        List<ConsoleStatus> statuses = await ConsoleSession.DescribeAllAsync(entries.Select(static e => e.Session), ConsoleSession.DescribeWait).ConfigureAwait(false);
        var listings = new List<ConsoleListing>(entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            listings.Add(Listing(entries[i], statuses[i]));
        }
        listings.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        return listings;
    }

    private static ConsoleListing Listing(ConsoleEntry entry, ConsoleStatus status) =>
        new(entry.Id, status.Source, status.State, status.Reason, status.Width, status.Height, status.Viewers, Origin(entry.Origin));

    public static string Origin(ConsoleOrigin origin) => origin switch
    {
        ConsoleOrigin.Configuration => "configuration",
        ConsoleOrigin.Api => "api",
        ConsoleOrigin.Libvirt => "libvirt",
        _ => origin.ToString().ToLowerInvariant(),
    };
}
