using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using WebConsole.Hosting;
using WebConsole.Hubs;
using WebConsole.Sources;
using WebConsole.Sources.Clipboard;
using WebConsole.Streaming;
using WebConsole.Telemetry;

namespace WebConsole.Consoles;

/// <summary>Makes the session (source, capture, fan-out) that serves one console of the live set.</summary>
internal sealed class ConsoleSessionFactory(IFramebufferSourceFactory sources, IHubContext<ConsoleHub> hub,
    IOptions<StreamingOptions> streaming, ILoggerFactory loggers, ConsoleMetrics metrics, TimeProvider time, IOptions<ClipboardOptions> clipboard)
{
    /// <summary>The clipboard directions a console allows: its own option, else <c>Clipboard:Directions</c>.</summary>
    public ClipboardDirections ClipboardFor(ConsoleDefinition definition) =>
        definition.Clipboard ?? (ClipboardText.TryParseDirections(clipboard.Value.Directions, out ClipboardDirections d) ? d : ClipboardDirections.None);

    public ConsoleSession Create(string id, ConsoleDefinition definition) =>
        new(id, definition.Spec, sources.Create(id, definition), hub, streaming, loggers, metrics, time, ClipboardFor(definition), clipboard.Value.MaxBytes);
}
