using System.Net;
using System.Net.Http.Json;
using WebConsole.Security;

namespace WebConsole.Tests.Security;

public sealed class TicketEndpointTests : IAsyncLifetime
{
    private static readonly System.Text.Json.JsonSerializerOptions s_web = new(System.Text.Json.JsonSerializerDefaults.Web);
    private readonly SecureServer _server = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, object? body, string? apiKey, bool bearer = false)
    {
        using HttpClient client = _server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (apiKey is not null)
        {
            if (bearer)
            {
                request.Headers.Authorization = new("Bearer", apiKey);
            }
            else
            {
                request.Headers.Add(ApiKeyVerifier.HeaderName, apiKey);
            }
        }
        using HttpResponseMessage response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Tickets_WithoutAnApiKey_Are401()
    {
        var (status, body) = await PostAsync("/api/consoles/a/tickets", new { permission = "view" }, apiKey: null);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("API key is required", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tickets_WithAWrongApiKey_Are403()
    {
        var (status, body) = await PostAsync("/api/consoles/a/tickets", new { permission = "view" }, "wrong-key-but-long-enough");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("not valid", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("admin")]
    [InlineData(null)]
    public async Task Tickets_WithABadPermission_Are400(string? permission)
    {
        var (status, body) = await PostAsync("/api/consoles/a/tickets", new { permission }, SecurityKeys.ApiKey);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("'view' or 'control'", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tickets_LongerThanTheMaximum_Are400()
    {
        var (status, body) = await PostAsync("/api/consoles/a/tickets", new { permission = "view", ttlSeconds = 100_000 }, SecurityKeys.ApiKey);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Security:MaxTicketLifetimeSeconds", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tickets_ForAnUnknownConsole_Are404()
    {
        var (status, body) = await PostAsync("/api/consoles/nope/tickets", new { permission = "view" }, SecurityKeys.ApiKey);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("unknown console 'nope'", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ticket_ComesWithItsExpiryAndTheConsoleUrl_AndTheBearerFormWorksToo()
    {
        var (status, body) = await PostAsync("/api/consoles/a/tickets", new { permission = "control", ttlSeconds = 30 }, SecurityKeys.ApiKey, bearer: true);
        Assert.Equal(HttpStatusCode.OK, status);
        TicketResponse ticket = System.Text.Json.JsonSerializer.Deserialize<TicketResponse>(body, s_web)!;
        Assert.Equal("/console/a#ticket=" + ticket.Ticket, ticket.Url);
        Assert.InRange(ticket.ExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(31));
    }

    [Fact]
    public async Task ConsoleListAndThumbnails_NeedTheApiKey()
    {
        using HttpClient client = _server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/consoles")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/consoles/a/thumbnail.png")).StatusCode);
        client.DefaultRequestHeaders.Add(ApiKeyVerifier.HeaderName, SecurityKeys.ApiKey);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/consoles")).StatusCode);
    }

    [Fact]
    public async Task EveryResponse_CarriesTheSecurityHeaders_WithTheConfiguredFrameAncestors()
    {
        using HttpClient client = _server.CreateClient();
        foreach (string path in new[] { "/", "/console/a", "/app/console.js", "/api/consoles", "/healthz" })
        {
            using HttpResponseMessage response = await client.GetAsync(path);
            string csp = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
            // Each configured origin once (the options were once bound twice, doubling every list).
            Assert.EndsWith("frame-ancestors 'self' https://dash.example.com", csp, StringComparison.Ordinal);
            Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        }
    }
}
