using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace WebConsole.Tests.Hubs;

/// <summary>The real server in memory, with the consoles a test gives it.</summary>
internal sealed class ServerFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string> _settings;
    private readonly Action<IServiceCollection>? _services;

    /// <summary>A server with <paramref name="settings"/>; <paramref name="services"/> may swap a service after the server's own.</summary>
    public ServerFactory(Dictionary<string, string> settings, Action<IServiceCollection>? services = null)
    {
        _settings = settings;
        _services = services;
        // The server project lives in server/, which the factory cannot guess from its assembly name.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_WEBCONSOLE_SERVER", Path.Combine(RepoRoot, "server"));
    }

    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "WebConsole.sln")))
                {
                    return dir.FullName;
                }
            }
            throw new InvalidOperationException("WebConsole.sln not found above " + AppContext.BaseDirectory);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseWebRoot(Path.Combine(RepoRoot, "wwwroot"));
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }

    public HubConnection Connect() => new HubConnectionBuilder()
        .WithUrl(new Uri(Server.BaseAddress, "hubs/console"), options =>
        {
            options.HttpMessageHandlerFactory = _ => Server.CreateHandler();
            options.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
            options.SkipNegotiation = true;
            options.WebSocketFactory = async (context, token) => await Server.CreateWebSocketClient().ConnectAsync(context.Uri, token);
        })
        .AddMessagePackProtocol()
        .Build();
}
