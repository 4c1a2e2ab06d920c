using System.Net.Http.Json;
using System.Text.Json;

namespace WebConsole.E2E;

/// <summary>A dashboard backend minting a ticket through a proxy (under the browser's host name and a path prefix).</summary>
internal static class ProxiedTickets
{
    /// <summary><c>POST {prefix}api/consoles/demo/tickets</c> with <paramref name="apiKey"/>; the ticket and the URL the server gives for it.</summary>
    public static async Task<(string Ticket, string Url)> MintAsync(HttpClient client, string host, string prefix, string apiKey, bool singleUse, Func<string>? context = null)
    {
        using var mint = new HttpRequestMessage(HttpMethod.Post, $"{prefix}api/consoles/demo/tickets") { Content = JsonContent.Create(new { permission = "control", singleUse }) };
        mint.Headers.Host = host;
        mint.Headers.Add("X-Api-Key", apiKey);
        using HttpResponseMessage minted = await client.SendAsync(mint);
        string body = await minted.Content.ReadAsStringAsync();
        Assert.True(minted.IsSuccessStatusCode, $"minting at /{prefix} through the proxy: {(int)minted.StatusCode} {body}\n{context?.Invoke()}");
        using JsonDocument json = JsonDocument.Parse(body);
        return (json.RootElement.GetProperty("ticket").GetString()!, json.RootElement.GetProperty("url").GetString()!);
    }
}
