using System.Net;
using System.Net.Http.Json;

namespace WebConsole.E2E;

/// <summary>
/// The console API as a dashboard backend calls it: <c>PUT</c> and <c>DELETE /api/consoles/{id}</c>,
/// with the API key when the server has keys.
/// </summary>
internal sealed class ConsoleApi : IDisposable
{
    private readonly HttpClient _client;

    public ConsoleApi(WebConsoleServer server, string? apiKey = null)
    {
        _client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
        if (apiKey is not null)
        {
            _client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }
    }

    /// <summary>Creates or changes console <paramref name="id"/>; asserts the answer is <paramref name="expected"/>.</summary>
    public async Task PutAsync(string id, string source, HttpStatusCode expected)
    {
        using HttpResponseMessage response = await _client.PutAsJsonAsync($"api/consoles/{id}", new { source });
        Assert.True(response.StatusCode == expected, $"PUT {id} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Removes console <paramref name="id"/> (204).</summary>
    public async Task DeleteAsync(string id)
    {
        using HttpResponseMessage response = await _client.DeleteAsync($"api/consoles/{id}");
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"DELETE {id} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public void Dispose() => _client.Dispose();
}
