using System.Net;
using System.Text.Json;
using WebConsole.Security;

namespace WebConsole.Tests.Security;

/// <summary>
/// /metrics and the detailed /healthz name every console: with keys set they need an API key (or
/// Security:OpenMetrics), while the plain liveness answer stays open for load balancers.
/// </summary>
public sealed class OperationalEndpointAccessTests
{
    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(SecureServer server, string path, string? apiKey = null, bool viaProxy = false)
    {
        using HttpClient client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (apiKey is not null)
        {
            request.Headers.Add(ApiKeyVerifier.HeaderName, apiKey);
        }
        if (viaProxy)
        {
            request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        }
        using HttpResponseMessage response = await client.SendAsync(request).WaitAsync(TimeSpan.FromSeconds(20));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WithKeys_MetricsNeedAnApiKey()
    {
        await using var server = new SecureServer();
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(server, "/metrics")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(server, "/metrics", "not-the-key-0123456789")).Status);
        var (status, body) = await GetAsync(server, "/metrics", SecurityKeys.ApiKey);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("# TYPE ", body, StringComparison.Ordinal); // the Prometheus exposition
        Assert.Contains("Refused API request /metrics", server.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithKeys_HealthzWithoutAKey_SaysOnlyTheStatus_WithAKeyNamesTheConsoles()
    {
        await using var server = new SecureServer();
        var (status, body) = await GetAsync(server, "/healthz");
        Assert.Equal(HttpStatusCode.OK, status);
        using (JsonDocument plain = JsonDocument.Parse(body))
        {
            Assert.Equal("degraded", plain.RootElement.GetProperty("status").GetString());
            Assert.Single(plain.RootElement.EnumerateObject());
        }
        Assert.DoesNotContain("webconsole-security-a", body, StringComparison.Ordinal);

        (status, body) = await GetAsync(server, "/healthz", SecurityKeys.ApiKey);
        Assert.Equal(HttpStatusCode.OK, status);
        using JsonDocument detailed = JsonDocument.Parse(body);
        JsonElement consoles = detailed.RootElement.GetProperty("consoles");
        Assert.Equal("waiting", consoles.GetProperty(SecureServer.ConsoleA).GetProperty("state").GetString());
        Assert.Contains("webconsole-security-a", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenMetrics_OpensMetricsAndHealthDetail_ButNotTheApi()
    {
        await using var server = new SecureServer(new() { ["Security:OpenMetrics"] = "true" });
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(server, "/metrics")).Status);
        Assert.Contains("\"consoles\"", (await GetAsync(server, "/healthz")).Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(server, "/api/consoles")).Status);
    }

    [Fact]
    public async Task WithoutKeys_ARemoteCaller_GetsNoMetricsAndOnlyTheHealthStatus()
    {
        await using var server = new SecureServer(secured: false);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(server, "/metrics", viaProxy: true)).Status);
        var (status, body) = await GetAsync(server, "/healthz", viaProxy: true);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain("consoles", body, StringComparison.Ordinal);
        // A local caller sees everything, as before.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(server, "/metrics")).Status);
        Assert.Contains("\"consoles\"", (await GetAsync(server, "/healthz")).Body, StringComparison.Ordinal);
    }
}
