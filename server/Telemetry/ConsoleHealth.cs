using WebConsole.Consoles;
using WebConsole.Streaming;

namespace WebConsole.Telemetry;

/// <summary>
/// What <c>GET /healthz</c> answers: every console's source state and one overall status.
/// </summary>
/// <remarks>
/// A source stuck on its peer reads as waiting ("not answering since ..."). The rule: <c>ok</c> (200) when every console is ready; <c>degraded</c> (200) when some console
/// waits for its producer or reads an invalid region while another one still works or may work
/// once its producer starts — the server itself is fine, a producer needs attention, and
/// restarting the server would not help; <c>unhealthy</c> (503) only when every console's source
/// is invalid, so the server can show nothing at all until someone acts.
/// </remarks>
internal static class ConsoleHealth
{
    /// <summary>
    /// The answer; <paramref name="detailed"/> adds each console's id, state and reason (for
    /// operators only: ids and reasons say what runs here). The status code is the same either way,
    /// so a load balancer needs no key.
    /// </summary>
    public static async Task<IResult> CheckAsync(ConsoleCatalog registry, bool detailed)
    {
        var consoles = new Dictionary<string, object>(StringComparer.Ordinal);
        int total = 0, ready = 0, invalid = 0;
        // Last readings, never a wait on a source: one stuck producer makes the answer degraded, not late.
        foreach (ConsoleStatus status in await ConsoleSession.DescribeAllAsync(registry.All, ConsoleSession.DescribeWait))
        {
            consoles[status.Id] = new { state = status.State, reason = status.Reason };
            total++;
            ready += status.State == "ready" ? 1 : 0;
            invalid += status.State == "invalid" ? 1 : 0;
        }
        string overall = ready == total ? "ok" : total > 0 && invalid == total ? "unhealthy" : "degraded";
        int code = overall == "unhealthy" ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        return detailed ? Results.Json(new { status = overall, consoles }, statusCode: code) : Results.Json(new { status = overall }, statusCode: code);
    }
}
