using System.Net;
using System.Text.Json;
using WebConsole.Region;
using WebConsole.Tests.Hubs;
using WebConsole.Tests.Region;

namespace WebConsole.Tests.Telemetry;

/// <summary><c>GET /healthz</c>: each console's state, and 503 only when no console can work.</summary>
public sealed class HealthEndpointTests : IDisposable
{
    private readonly TempRegion _ready = new("health-ready");
    private readonly TempRegion _invalid = new("health-invalid");
    private readonly RegionWriter _writer;

    public HealthEndpointTests()
    {
        _writer = RegionWriter.Create(_ready.Path, new RegionWriterOptions { Width = 64, Height = 32 });
        Assert.True(_writer.TryBeginFrame(out _));
        _writer.PublishFull();

        using (RegionWriter broken = RegionWriter.Create(_invalid.Path, new RegionWriterOptions { Width = 64, Height = 32 }))
        {
            Assert.True(broken.TryBeginFrame(out _));
            broken.PublishFull();
        }
        // A format version from the future: a region the server must refuse.
        using var file = new FileStream(_invalid.Path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = file.Length - RegionFormat.MetaSize + RegionFormat.OffVersionMajor;
        file.Write([99, 0]);
    }

    [Fact]
    public async Task Healthz_IsOk_WhenEveryConsoleIsReady()
    {
        var (code, body) = await GetAsync(new() { ["Consoles:a:Source"] = "region:" + _ready.Path });
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.Equal("ready", body.GetProperty("consoles").GetProperty("a").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Healthz_IsDegradedButUp_WhenAProducerIsMissingOrBroken()
    {
        var (code, body) = await GetAsync(new()
        {
            ["Consoles:a:Source"] = "region:" + _ready.Path,
            ["Consoles:b:Source"] = "region:" + _invalid.Path,
            ["Consoles:c:Source"] = "region:" + _ready.Path + ".absent",
        });
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("degraded", body.GetProperty("status").GetString());
        JsonElement consoles = body.GetProperty("consoles");
        Assert.Equal("invalid", consoles.GetProperty("b").GetProperty("state").GetString());
        Assert.Contains("version 99", consoles.GetProperty("b").GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal("waiting", consoles.GetProperty("c").GetProperty("state").GetString());
    }

    [Fact]
    public async Task Healthz_IsUpWhileEveryProducerIsStillMissing()
    {
        var (code, body) = await GetAsync(new() { ["Consoles:a:Source"] = "region:" + _ready.Path + ".absent" });
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("degraded", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Healthz_Is503_WhenEveryConsoleIsInvalid()
    {
        var (code, body) = await GetAsync(new() { ["Consoles:b:Source"] = "region:" + _invalid.Path });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
    }

    private static async Task<(HttpStatusCode Code, JsonElement Body)> GetAsync(Dictionary<string, string> settings)
    {
        await using var server = new ServerFactory(settings);
        using HttpClient client = server.CreateClient();
        using HttpResponseMessage response = await client.GetAsync(new Uri("/healthz", UriKind.Relative)).WaitAsync(TimeSpan.FromSeconds(10));
        string json = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(json).RootElement.Clone());
    }

    public void Dispose()
    {
        _writer.Dispose();
        _ready.Dispose();
        _invalid.Dispose();
    }
}
