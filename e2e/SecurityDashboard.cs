using System.Net;
using System.Net.Sockets;

namespace WebConsole.E2E;

/// <summary>
/// A stand-in dashboard: a real HTTP server on two loopback ports (two origins, one allowed to embed
/// the console and one not) answering every request with a page that frames the URL in its <c>src</c>
/// query parameter, recording the console's postMessage events (<c>window.events</c>: origin, event, console, reason, at) and sending it
/// commands (<c>window.send</c>) as a dashboard's script would.
/// </summary>
internal sealed class SecurityDashboard : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    public SecurityDashboard()
    {
        Allowed = new Uri($"http://localhost:{FreePort()}/");
        Stranger = new Uri($"http://localhost:{FreePort()}/");
        _listener.Prefixes.Add(Allowed.ToString());
        _listener.Prefixes.Add(Stranger.ToString());
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>The dashboard's origin, given to the server as allowed origin and frame ancestor.</summary>
    public Uri Allowed { get; }

    public Uri Stranger { get; }

    public static string Origin(Uri site) => site.GetLeftPart(UriPartial.Authority);

    /// <summary>The dashboard page on <paramref name="site"/> framing <paramref name="console"/>.</summary>
    public static Uri Page(Uri site, string console) => new(site, "?src=" + Uri.EscapeDataString(console));

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            string src = WebUtility.HtmlEncode(context.Request.QueryString["src"] ?? "about:blank");
            byte[] body = System.Text.Encoding.UTF8.GetBytes($$"""
                <!doctype html><html><head><title>dashboard</title></head><body style="margin:0;font:14px sans-serif">
                <p>dashboard at {{WebUtility.HtmlEncode(context.Request.Url?.GetLeftPart(UriPartial.Authority))}}</p>
                <iframe id="console" src="{{src}}" width="960" height="560"></iframe>
                <script>
                window.events = [];
                addEventListener('message', (e) => {
                    if (e.data && e.data.type === 'webconsole') window.events.push({ origin: e.origin, event: e.data.event, console: e.data.console, reason: e.data.reason ?? null, at: performance.now() });
                });
                window.send = (command) => document.getElementById('console').contentWindow.postMessage({ type: 'webconsole', version: 1, ...command }, '*');
                </script>
                </body></html>
                """);
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }
}
