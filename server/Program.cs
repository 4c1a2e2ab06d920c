using WebConsole.Hosting;

// The web root lives at the top of the repository (or next to the binaries once published).
var early = new ConfigurationBuilder().AddEnvironmentVariables("ASPNETCORE_").AddCommandLine(args).Build();
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    // Next to the binaries (appsettings.json is copied there) unless --contentRoot says otherwise.
    ContentRootPath = early["contentRoot"] ?? AppContext.BaseDirectory,
    WebRootPath = early["webroot"] ?? ContentLocator.FindWebRoot(AppContext.BaseDirectory),
});

// Key-per-file configuration (a mounted ConfigMap or secret: one file per key, '__' between
// sections, e.g. Consoles__vm1__Source), re-read when a file changes like appsettings.json.
if ((early["configDirectory"] ?? builder.Configuration["ConfigDirectory"]) is { Length: > 0 } configDirectory)
{
    builder.Configuration.AddKeyPerFile(Path.GetFullPath(configDirectory), optional: true, reloadOnChange: true);
}

// Loopback by default; ASPNETCORE_URLS, --urls or "Urls" in configuration choose otherwise, and
// Kestrel:Endpoints (with a certificate for TLS, docs/deployment.md) replaces them all.
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && !ListenAddresses.HasKestrelEndpoints(builder.Configuration))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5000");
}

// Under systemd (the Debian package's webconsole.service, Type=notify): ready when listening,
// stopping on SIGTERM, logs in journald's format. Outside systemd this does nothing.
builder.Host.UseSystemd();

builder.Services.AddWebConsole(builder.Configuration);

var app = builder.Build();
app.MapWebConsole();
app.Run();

/// <summary>Entry point, visible to integration tests (WebApplicationFactory).</summary>
public partial class Program;
