using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebSockets;
using Microsoft.Extensions.Options;
using WebConsole.Security;

namespace WebConsole.Streaming;

/// <summary>
/// Gives the hub's WebSocket connections a <see cref="WholeMessageWebSocket"/>. ASP.NET Core's own
/// WebSocket middleware makes the handshake feature here; the feature is wrapped before the
/// request reaches SignalR (whose own WebSocket middleware then finds it and leaves it alone).
/// </summary>
internal sealed class WholeMessageWebSocketMiddleware
{
    private readonly RequestDelegate _next;
    private readonly WebSocketMiddleware _webSockets;

    public WholeMessageWebSocketMiddleware(RequestDelegate next, IOptions<WebSocketOptions> options, ILoggerFactory loggers)
    {
        _next = next;
        _webSockets = new WebSocketMiddleware(context =>
        {
            if (context.Features.Get<IHttpWebSocketFeature>() is { } feature && feature is not WholeMessageFeature)
            {
                context.Features.Set<IHttpWebSocketFeature>(new WholeMessageFeature(feature));
            }
            return next(context);
        }, options, loggers);
    }

    public Task InvokeAsync(HttpContext context) =>
        context.Request.Path.StartsWithSegments(HubAccessMiddleware.HubPath) ? _webSockets.Invoke(context) : _next(context);

    private sealed class WholeMessageFeature(IHttpWebSocketFeature inner) : IHttpWebSocketFeature
    {
        public bool IsWebSocketRequest => inner.IsWebSocketRequest;

        public async Task<WebSocket> AcceptAsync(WebSocketAcceptContext context) =>
            new WholeMessageWebSocket(await inner.AcceptAsync(context).ConfigureAwait(false));
    }
}
