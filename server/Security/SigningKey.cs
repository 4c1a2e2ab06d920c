using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace WebConsole.Security;

/// <summary>
/// The bytes tickets are signed with: <c>Security:TicketSigningKey</c> (<c>base64:...</c> decoded,
/// anything else as UTF-8 text), or a random key per process when only API keys are configured.
/// </summary>
internal sealed class SigningKey
{
    public const int MinBytes = 32;
    private const string Base64Prefix = "base64:";

    public SigningKey(byte[] bytes, bool generated)
    {
        Bytes = bytes;
        Generated = generated;
    }

    public byte[] Bytes { get; }

    /// <summary>True when the key is random for this process: only the server can mint tickets.</summary>
    public bool Generated { get; }

    public static SigningKey Random() => new(RandomNumberGenerator.GetBytes(MinBytes), generated: true);

    public static bool TryParse(string text, [NotNullWhen(true)] out byte[]? bytes, [NotNullWhen(false)] out string? error)
    {
        bytes = null;
        if (text.StartsWith(Base64Prefix, StringComparison.Ordinal))
        {
            try
            {
                bytes = Convert.FromBase64String(text[Base64Prefix.Length..]);
            }
            catch (FormatException)
            {
                error = "text after 'base64:' is not valid base64";
                return false;
            }
        }
        else
        {
            bytes = System.Text.Encoding.UTF8.GetBytes(text);
        }
        if (bytes.Length < MinBytes)
        {
            error = $"the key has {bytes.Length} bytes; at least {MinBytes} are needed (raw text is taken as UTF-8, or write base64:<base64>)";
            bytes = null;
            return false;
        }
        error = null;
        return true;
    }
}
