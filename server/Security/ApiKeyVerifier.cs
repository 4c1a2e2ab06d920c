using System.Security.Cryptography;

using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace WebConsole.Security;

/// <summary>
/// Checks the API key of a dashboard backend (<c>X-Api-Key</c> or <c>Authorization: Bearer</c>) against
/// <c>Security:ApiKeys</c>: SHA-256 of both sides compared in constant time, every key tried.
/// </summary>
internal sealed class ApiKeyVerifier
{
    public const string HeaderName = "X-Api-Key";

    private readonly byte[][] _hashes;

    public ApiKeyVerifier(IOptions<SecurityOptions> options)
    {
        var hashes = new List<byte[]>();
        foreach (string key in options.Value.ApiKeys)
        {
            hashes.Add(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));
        }
        _hashes = [.. hashes];
    }

    public bool HasKeys => _hashes.Length > 0;

    /// <summary>The key the request presents, if any.</summary>
    public static string? Read(HttpRequest request)
    {
        string? key = request.Headers[HeaderName];
        if (!string.IsNullOrEmpty(key))
        {
            return key;
        }
        string? authorization = request.Headers[HeaderNames.Authorization];
        const string Bearer = "Bearer ";
        return authorization is not null && authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)
            ? authorization[Bearer.Length..].Trim()
            : null;
    }

    public bool IsValid(string presented)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(presented), hash);
        bool match = false;
        foreach (byte[] known in _hashes)
        {
            match |= CryptographicOperations.FixedTimeEquals(hash, known);
        }
        return match;
    }
}
