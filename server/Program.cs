using WebConsole.Hosting;

var builder = WebApplication.CreateBuilder(args);

// Loopback by default; ASPNETCORE_URLS, --urls or "Urls" in configuration choose otherwise.
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:5000");
}

builder.Services.AddWebConsole(builder.Configuration);

var app = builder.Build();
app.MapWebConsole();
app.Run();

/// <summary>Entry point, visible to integration tests (WebApplicationFactory).</summary>
public partial class Program;
