using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace WebConsole.Tests.Hubs;

/// <summary>The real server in memory, with the consoles a test gives it.</summary>
internal sealed class ServerFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string> _settings;

    public ServerFactory(Dictionary<string, string> settings)
    {
        _settings = settings;
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
