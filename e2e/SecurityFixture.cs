using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace WebConsole.E2E;

/// <summary>
/// Keys for a server with access control on, the arguments that configure it, and the two ways a
/// dashboard gets a ticket: asking the server (API key) or minting a JWT itself (shared secret).
/// </summary>
internal static class SecurityFixture
{
    public const string ApiKey = "e2e-api-key-0123456789";
    public const string SigningKey = "an end-to-end shared secret, 32+ bytes long";

    /// <summary>The server's arguments: both keys, and <paramref name="dashboard"/> allowed to open the hub and embed.</summary>
    public static string[] Arguments(string dashboard) =>
    [
        "--Security:ApiKeys:0", ApiKey,
        "--Security:TicketSigningKey", SigningKey,
        "--Security:AllowedOrigins:0", dashboard,
        "--Security:FrameAncestors:0", dashboard,
    ];

    /// <summary>A ticket from <c>POST /api/consoles/{id}/tickets</c>.</summary>
    public static async Task<string> AskAsync(WebConsoleServer server, string consoleId, string permission = "view", bool singleUse = true)
    {
        using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        using HttpResponseMessage response = await client.PostAsJsonAsync($"api/consoles/{consoleId}/tickets", new { permission, singleUse });
        response.EnsureSuccessStatusCode();
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("ticket").GetString()!;
    }

    /// <summary>A ticket minted as a dashboard does with the shared secret.</summary>
    public static string Mint(string consoleId, string permission, DateTimeOffset expires) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object>
            {
                ["sub"] = consoleId,
                ["perm"] = permission,
                ["jti"] = Guid.NewGuid().ToString("N"),
                ["single_use"] = false,
            },
            IssuedAt = expires.AddMinutes(-2).UtcDateTime,
            NotBefore = expires.AddMinutes(-2).UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(SigningKey)), SecurityAlgorithms.HmacSha256),
        });

    /// <summary>The ticket with its permission rewritten and the old signature kept.</summary>
    public static string Tamper(string ticket)
    {
        string[] parts = ticket.Split('.');
        string json = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1]));
        string changed = json.Replace("\"perm\":\"view\"", "\"perm\":\"control\"", StringComparison.Ordinal);
        Assert.NotEqual(json, changed);
        return $"{parts[0]}.{Base64UrlEncoder.Encode(changed)}.{parts[2]}";
    }
}
