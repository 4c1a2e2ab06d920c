
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace WebConsole.Tests.Security;

/// <summary>The keys the security tests configure, and a dashboard's own ticket minting (any claims, any times).</summary>
internal static class SecurityKeys
{
    public const string ApiKey = "test-api-key-0123456789";
    public const string SigningKey = "a shared secret of more than thirty-two bytes";

    /// <summary>A JWT signed as a dashboard would; null claims are left out.</summary>
    public static string Mint(
        string? consoleId, string? permission, DateTimeOffset expires, DateTimeOffset? notBefore = null,
        bool singleUse = false, string key = SigningKey)
    {
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["single_use"] = singleUse,
        };
        if (consoleId is not null)
        {
            claims["sub"] = consoleId;
        }
        if (permission is not null)
        {
            claims["perm"] = permission;
        }
        var descriptor = new SecurityTokenDescriptor
        {
            Claims = claims,
            Expires = expires.UtcDateTime,
            NotBefore = (notBefore ?? expires.AddMinutes(-1)).UtcDateTime,
            IssuedAt = (notBefore ?? expires.AddMinutes(-1)).UtcDateTime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>The ticket with its permission claim rewritten and the signature kept, as an attacker would try.</summary>
    public static string Tamper(string ticket)
    {
        string[] parts = ticket.Split('.');
        string json = System.Text.Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1]));
        string changed = json.Contains("\"perm\":\"view\"", StringComparison.Ordinal)
            ? json.Replace("\"perm\":\"view\"", "\"perm\":\"control\"", StringComparison.Ordinal)
            : json.Replace("\"perm\":\"control\"", "\"perm\":\"view\"", StringComparison.Ordinal);
        Assert.NotEqual(json, changed);
        return $"{parts[0]}.{Base64UrlEncoder.Encode(changed)}.{parts[2]}";
    }
}
