using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WebConsole.Security;
using WebConsole.Tests.Hubs;

namespace WebConsole.Tests.Security;

/// <summary>
/// The real server in memory with access control on (an API key and a shared signing key), two
/// consoles ("a", "b": regions that do not exist, so no producer is needed), the control probe hub
/// at /hubs/probe, and every log entry captured at Trace.
/// </summary>
internal sealed class SecureServer : WebApplicationFactory<Program>
{
    public const string ConsoleA = "a", ConsoleB = "b";

    private readonly Dictionary<string, string?> _settings;

    private readonly bool _httpLogging;
    private readonly Action<IServiceCollection>? _services;

    /// <summary><paramref name="httpLogging"/>: ASP.NET Core's HTTP logging first in the pipeline, every field and credential header included.</summary>
    public SecureServer(Dictionary<string, string?>? settings = null, bool secured = true, bool httpLogging = false,
        Action<IServiceCollection>? services = null)
    {
        _services = services;
        _httpLogging = httpLogging;
        _settings = new(StringComparer.Ordinal)
        {
            ["Consoles:a:Source"] = "region:/nonexistent/webconsole-security-a.fb",
            ["Consoles:b:Source"] = "region:/nonexistent/webconsole-security-b.fb",
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
        };
        if (secured)
        {
            _settings["Security:ApiKeys:0"] = SecurityKeys.ApiKey;
            _settings["Security:TicketSigningKey"] = SecurityKeys.SigningKey;
            _settings["Security:AllowedOrigins:0"] = "https://dash.example.com";
            _settings["Security:FrameAncestors:0"] = "https://dash.example.com";
        }
        foreach (var (key, value) in settings ?? [])
        {
            _settings[key] = value;
        }
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_WEBCONSOLE_SERVER", Path.Combine(ServerFactory.RepoRoot, "server"));
    }

    public CapturedLogs Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseWebRoot(Path.Combine(ServerFactory.RepoRoot, "wwwroot"));
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<ProbeInputs>();
            services.AddSingleton<IStartupFilter, ProbeHubStartup>();
            if (_httpLogging)
            {
                services.AddHttpLogging(o =>
                {
                    o.LoggingFields = Microsoft.AspNetCore.HttpLogging.HttpLoggingFields.All;
                    foreach (string header in new[] { "Authorization", "Cookie", "X-Api-Key", "X-Custom" })
                    {
                        o.RequestHeaders.Add(header);
                    }
                    o.ResponseHeaders.Add("Set-Cookie");
                    o.MediaTypeOptions.AddText("application/json");
                });
                services.AddSingleton<IStartupFilter, HttpLoggingStartup>();
            }
        });
    }

    /// <summary>A ticket from the server's own endpoint, as a dashboard backend would ask for it.</summary>
    public async Task<string> TicketAsync(string consoleId, string permission = "control", bool singleUse = true, string? clipboard = null)
    {
        using HttpClient client = CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyVerifier.HeaderName, SecurityKeys.ApiKey);
        using HttpResponseMessage response = await client.PostAsJsonAsync(
            $"/api/consoles/{consoleId}/tickets", new { permission, singleUse, clipboard });
        response.EnsureSuccessStatusCode();
        TicketResponse? ticket = await response.Content.ReadFromJsonAsync<TicketResponse>();
        return ticket!.Ticket;
    }

    /// <summary>A hub connection over WebSockets, the ticket in the query as a browser sends it.</summary>
    public HubConnection Connect(string? ticket, string hub = "hubs/console", string? origin = null)
    {
        string query = ticket is null ? "" : "?access_token=" + Uri.EscapeDataString(ticket);
        return new HubConnectionBuilder()
            .WithUrl(new Uri(Server.BaseAddress, hub + query), options =>
            {
                options.HttpMessageHandlerFactory = _ => Server.CreateHandler();
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                options.WebSocketFactory = async (context, token) =>
                {
                    var client = Server.CreateWebSocketClient();
                    if (origin is not null)
                    {
                        client.ConfigureRequest = request => request.Headers.Origin = origin;
                    }
                    return await client.ConnectAsync(context.Uri, token);
                };
            })
            .AddMessagePackProtocol()
            .Build();
    }

    private sealed class HttpLoggingStartup : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseHttpLogging();
            next(app);
        };
    }

    private sealed class ProbeHubStartup : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app); // the server's own pipeline, access control first
            app.UseRouting();
            app.UseEndpoints(endpoints => endpoints.MapHub<ControlProbeHub>("/hubs/probe"));
        };
    }
}
