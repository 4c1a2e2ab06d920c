using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using WebConsole.Hubs;
using WebConsole.Security;
using WebConsole.Tests.Security;

namespace WebConsole.Tests.Consoles;

/// <summary>
/// The management API on the real server in memory (an API key, consoles "a" and "b" from
/// configuration): create, change, remove, refusals with reasons, the cap, and what a removed
/// console's viewers and tickets see.
/// </summary>
public sealed class ConsoleApiTests : IAsyncLifetime
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private readonly SecureServer _server = new(new() { ["Consoles:MaxConsoles"] = "4" });
    private HttpClient _api = null!;

    public Task InitializeAsync()
    {
        _api = _server.CreateClient();
        _api.DefaultRequestHeaders.Add(ApiKeyVerifier.HeaderName, SecurityKeys.ApiKey);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
    }

    private Task<HttpResponseMessage> PutAsync(string id, object body) => _api.PutAsJsonAsync($"/api/consoles/{id}", body);

    private async Task<JsonElement[]> ListAsync() => (await _api.GetFromJsonAsync<JsonElement[]>("/api/consoles"))!;

    private static async Task<string> BodyAsync(HttpResponseMessage response) => await response.Content.ReadAsStringAsync();

    [Fact]
    public async Task Put_CreatesAConsole_ThatTheListShowsWithItsOrigin()
    {
        using HttpResponseMessage created = await PutAsync("vm1", new { source = "region:/nonexistent/webconsole-api-vm1.fb" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/consoles/vm1", created.Headers.Location?.ToString());
        Assert.Contains("\"outcome\":\"created\"", await BodyAsync(created), StringComparison.Ordinal);

        JsonElement[] list = await ListAsync();
        Assert.Equal(["a", "b", "vm1"], list.Select(c => c.GetProperty("id").GetString()));
        Assert.Equal(["configuration", "configuration", "api"], list.Select(c => c.GetProperty("origin").GetString()));
        Assert.Equal("region:/nonexistent/webconsole-api-vm1.fb", list[2].GetProperty("source").GetString());
        using HttpResponseMessage page = await _api.GetAsync("/console/vm1");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task Put_OfTheSameSource_ChangesNothing_AndOfAnother_ChangesIt()
    {
        (await PutAsync("vm1", new { source = "region:/nonexistent/one.fb" })).EnsureSuccessStatusCode();
        using HttpResponseMessage same = await PutAsync("vm1", new { source = "region:/nonexistent/one.fb" });
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Contains("\"outcome\":\"unchanged\"", await BodyAsync(same), StringComparison.Ordinal);
        Assert.Single(_server.Logs.Entries, e => e.Contains("Console vm1 added", StringComparison.Ordinal));

        using HttpResponseMessage other = await PutAsync("vm1", new { source = "region:/nonexistent/two.fb" });
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Contains("\"outcome\":\"changed\"", await BodyAsync(other), StringComparison.Ordinal);
        Assert.Equal("region:/nonexistent/two.fb", (await ListAsync()).Single(c => c.GetProperty("id").GetString() == "vm1").GetProperty("source").GetString());
    }

    [Theory]
    [InlineData("vm1", "{\"source\":\"region:relative\"}", "source: 'region:relative': a region source needs an absolute path")]
    [InlineData("vm1", "{\"source\":\"vnc:host\"}", "unknown source")]
    [InlineData("vm1", "{\"source\":\"region:/tmp/x.fb\",\"display\":\":99\"}", "display: only an xwd or xwd-shm source takes an X display")]
    [InlineData("vm1", "{\"source\":\"xwd:/tmp/x/Xvfb_screen0\",\"display\":\":99; rm\"}", "is not an X display name")]
    [InlineData("vm%201", "{\"source\":\"demo\"}", "a console id may hold letters, digits")]
    [InlineData("MaxConsoles", "{\"source\":\"demo\"}", "not 'MaxConsoles'")]
    [InlineData("vm1", "null", "the body must be JSON")]
    public async Task Put_OfSomethingInvalid_Is400_NamingWhatIsWrong(string id, string json, string problem)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await _api.PutAsync($"/api/consoles/{id}", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(problem, await BodyAsync(response), StringComparison.Ordinal);
        Assert.Equal(2, (await ListAsync()).Length);
    }

    [Fact]
    public async Task Put_TakesAClipboardOption_AndNamesABadOne()
    {
        using HttpResponseMessage bad = await PutAsync("vm1", new { source = "demo", clipboard = "sideways" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("clipboard: 'sideways' is not none, to-guest, from-guest or both", await BodyAsync(bad), StringComparison.Ordinal);
        using HttpResponseMessage good = await PutAsync("vm1", new { source = "demo", clipboard = "from-guest" });
        Assert.Equal(HttpStatusCode.Created, good.StatusCode);
        using HttpResponseMessage changed = await PutAsync("vm1", new { source = "demo", clipboard = "none" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Contains("\"changed\"", await BodyAsync(changed), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConsoleFromConfiguration_CannotBeChangedOrRemovedThroughTheApi()
    {
        using HttpResponseMessage put = await PutAsync(SecureServer.ConsoleA, new { source = "demo" });
        Assert.Equal(HttpStatusCode.Conflict, put.StatusCode);
        Assert.Contains("comes from configuration", await BodyAsync(put), StringComparison.Ordinal);
        using HttpResponseMessage delete = await _api.DeleteAsync($"/api/consoles/{SecureServer.ConsoleA}");
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        Assert.Contains("comes from configuration", await BodyAsync(delete), StringComparison.Ordinal);
        Assert.Equal("region:/nonexistent/webconsole-security-a.fb", (await ListAsync())[0].GetProperty("source").GetString());
    }

    [Fact]
    public async Task TheCap_Is409NamingTheLimit()
    {
        (await PutAsync("c1", new { source = "demo" })).EnsureSuccessStatusCode();
        (await PutAsync("c2", new { source = "demo" })).EnsureSuccessStatusCode();
        using HttpResponseMessage over = await PutAsync("c3", new { source = "demo" });
        Assert.Equal(HttpStatusCode.Conflict, over.StatusCode);
        string body = await BodyAsync(over);
        Assert.Contains("Consoles:MaxConsoles", body, StringComparison.Ordinal);
        Assert.Contains("4 consoles", body, StringComparison.Ordinal);
        // Changing one at the cap is no new console.
        Assert.Equal(HttpStatusCode.OK, (await PutAsync("c2", new { source = "region:/nonexistent/c2.fb" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _api.DeleteAsync("/api/consoles/c1")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PutAsync("c3", new { source = "demo" })).StatusCode);
    }

    [Fact]
    public async Task WithoutTheApiKey_NothingChanges()
    {
        using HttpClient anonymous = _server.CreateClient();
        using HttpResponseMessage put = await anonymous.PutAsJsonAsync("/api/consoles/vm1", new { source = "demo" });
        Assert.Equal(HttpStatusCode.Unauthorized, put.StatusCode);
        using HttpResponseMessage delete = await anonymous.DeleteAsync($"/api/consoles/{SecureServer.ConsoleA}");
        Assert.Equal(HttpStatusCode.Unauthorized, delete.StatusCode);
        Assert.Equal(2, (await ListAsync()).Length);
    }

    [Fact]
    public async Task Delete_TellsTheViewersAndEndsTheirConnection_AndTheConsoleIsGoneEverywhere()
    {
        (await PutAsync("vm1", new { source = "demo" })).EnsureSuccessStatusCode();
        string ticket = await _server.TicketAsync("vm1", singleUse: false);
        await using HubConnection viewer = _server.Connect(ticket);
        var state = new TaskCompletionSource<StateMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        viewer.On<StateMessage>(ConsoleClientMethods.State, s =>
        {
            if (s.State == "removed")
            {
                state.TrySetResult(s);
            }
        });
        viewer.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await viewer.StartAsync().WaitAsync(s_timeout);
        await viewer.InvokeAsync<JoinResult>("Join", "vm1").WaitAsync(s_timeout);

        using HttpResponseMessage deleted = await _api.DeleteAsync("/api/consoles/vm1");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        StateMessage removed = await state.Task.WaitAsync(TimeSpan.FromSeconds(2));
        Assert.Equal("console removed", removed.Reason);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(2));

        Assert.DoesNotContain(await ListAsync(), c => c.GetProperty("id").GetString() == "vm1");
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync("/api/consoles/vm1/thumbnail.png")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync("/console/vm1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.DeleteAsync("/api/consoles/vm1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostAsJsonAsync("/api/consoles/vm1/tickets", new { permission = "view" })).StatusCode);

        // The ticket (reusable, still within its lifetime) admits nobody to a console made later with the same id.
        (await PutAsync("vm1", new { source = "demo" })).EnsureSuccessStatusCode();
        await using HubConnection late = _server.Connect(ticket);
        await late.StartAsync().WaitAsync(s_timeout);
        HubException refused = await Assert.ThrowsAsync<HubException>(() => late.InvokeAsync<JoinResult>("Join", "vm1").WaitAsync(s_timeout));
        Assert.Contains("earlier console", refused.Message, StringComparison.Ordinal);
        // A ticket for the new console does.
        await using HubConnection fresh = _server.Connect(await _server.TicketAsync("vm1"));
        await fresh.StartAsync().WaitAsync(s_timeout);
        JoinResult joined = await fresh.InvokeAsync<JoinResult>("Join", "vm1").WaitAsync(s_timeout);
        Assert.NotEqual("removed", joined.State);
    }

    [Fact]
    public async Task Changes_AnswersWhenTheSetChanges_NotBefore()
    {
        long version = (await _api.GetFromJsonAsync<JsonElement>("/api/consoles/changes")).GetProperty("version").GetInt64();
        Task<JsonElement> waiting = _api.GetFromJsonAsync<JsonElement>($"/api/consoles/changes?after={version}");
        await Task.Delay(500);
        Assert.False(waiting.IsCompleted, "answered though nothing changed");
        (await PutAsync("vm1", new { source = "demo" })).EnsureSuccessStatusCode();
        JsonElement changed = await waiting.WaitAsync(TimeSpan.FromSeconds(2));
        Assert.True(changed.GetProperty("version").GetInt64() > version);
    }

    [Fact]
    public async Task TheOpenApiDocument_DescribesTheConsoleApi()
    {
        string document = await _api.GetStringAsync("/api/openapi/v1.json");
        using JsonDocument json = JsonDocument.Parse(document);
        JsonElement paths = json.RootElement.GetProperty("paths");
        JsonElement console = paths.GetProperty("/api/consoles/{id}");
        Assert.True(console.TryGetProperty("put", out JsonElement put));
        Assert.True(console.TryGetProperty("delete", out _));
        Assert.True(paths.GetProperty("/api/consoles").TryGetProperty("get", out _));
        Assert.Contains("409", put.GetProperty("responses").EnumerateObject().Select(r => r.Name));
        Assert.Contains("400", put.GetProperty("responses").EnumerateObject().Select(r => r.Name));
        using HttpClient anonymous = _server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/openapi/v1.json")).StatusCode);
    }
}
