using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using WebConsole.Sources.Clipboard;

namespace WebConsole.Security;

/// <summary>
/// Mints and checks tickets: HS256 JWTs with <c>sub</c> (console id), <c>perm</c> (view or control),
/// <c>exp</c>, <c>nbf</c>, <c>iat</c>, <c>jti</c>, <c>single_use</c> and optionally <c>clipboard</c>
/// (none, to-guest, from-guest or both: narrows what the console's clipboard allows; absent: no narrowing). Signing and signature checks are
/// Microsoft.IdentityModel's; lifetimes are checked here against the injected clock.
/// </summary>
internal sealed class TicketService
{
    public const string PermissionClaim = "perm";
    public const string SingleUseClaim = "single_use";

    /// <summary>Which ways the holder's clipboard may carry text (none, to-guest, from-guest, both); absent: as the console allows.</summary>
    public const string ClipboardClaim = "clipboard";

    /// <summary>Which incarnation of the console the ticket is for (0: a console from configuration); see ConsoleEntry.</summary>
    public const string IncarnationClaim = "console_incarnation";
    public const int MaxTicketChars = 4096;

    /// <summary>Clock difference tolerated between a dashboard that mints tickets and this server.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(5);

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SigningCredentials _credentials;
    private readonly TokenValidationParameters _parameters;
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxLifetime;

    public TicketService(SigningKey key, IOptions<SecurityOptions> options, TimeProvider time)
    {
        var securityKey = new SymmetricSecurityKey(key.Bytes);
        _credentials = new SigningCredentials(securityKey, SecurityAlgorithms.HmacSha256);
        _parameters = new TokenValidationParameters
        {
            IssuerSigningKey = securityKey,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = false,
            ValidateIssuer = false,
            ValidateAudience = false,
            // Checked below against TimeProvider, so tests can move the clock and failures are told apart.
            ValidateLifetime = false,
            RequireExpirationTime = false,
        };
        _time = time;
        _maxLifetime = TimeSpan.FromSeconds(options.Value.MaxTicketLifetimeSeconds);
    }

    /// <summary>A ticket for <paramref name="consoleId"/>, valid from now for <paramref name="lifetime"/>.</summary>
    public (string Token, DateTimeOffset ExpiresAt) Mint(string consoleId, AccessLevel permission, TimeSpan lifetime, bool singleUse, long incarnation = 0,
        ClipboardDirections? clipboard = null)
    {
        DateTimeOffset now = _time.GetUtcNow();
        DateTimeOffset expires = now + lifetime;
        var descriptor = new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                [JwtRegisteredClaimNames.Sub] = consoleId,
                [PermissionClaim] = Format(permission),
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
                [SingleUseClaim] = singleUse,
                [IncarnationClaim] = incarnation,
            },
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = _credentials,
        };
        if (clipboard is { } directions)
        {
            descriptor.Claims[ClipboardClaim] = ClipboardText.Format(directions);
        }
        return (_handler.CreateToken(descriptor), expires);
    }

    /// <summary>Checks signature, lifetime and claims; says why a ticket is refused.</summary>
    public async Task<TicketValidation> ValidateAsync(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return TicketValidation.Fail(TicketFailure.Missing);
        }
        if (token.Length > MaxTicketChars || !_handler.CanReadToken(token))
        {
            return TicketValidation.Fail(TicketFailure.Malformed);
        }
        TokenValidationResult result = await _handler.ValidateTokenAsync(token, _parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return TicketValidation.Fail(result.Exception switch
            {
                SecurityTokenMalformedException or ArgumentException => TicketFailure.Malformed,
                _ => TicketFailure.BadSignature,
            });
        }
        var jwt = (JsonWebToken)result.SecurityToken;
        DateTimeOffset now = _time.GetUtcNow();
        if (!jwt.TryGetPayloadValue(JwtRegisteredClaimNames.Exp, out long exp))
        {
            return TicketValidation.Fail(TicketFailure.BadClaims);
        }
        var expires = DateTimeOffset.FromUnixTimeSeconds(exp);
        if (expires + ClockSkew <= now)
        {
            return TicketValidation.Fail(TicketFailure.Expired);
        }
        if (jwt.TryGetPayloadValue(JwtRegisteredClaimNames.Nbf, out long nbf) && DateTimeOffset.FromUnixTimeSeconds(nbf) - ClockSkew > now)
        {
            return TicketValidation.Fail(TicketFailure.NotYetValid);
        }
        if (expires - now > _maxLifetime + ClockSkew)
        {
            return TicketValidation.Fail(TicketFailure.TooLong);
        }
        string consoleId = jwt.Subject;
        if (string.IsNullOrEmpty(consoleId)
            || !jwt.TryGetPayloadValue(PermissionClaim, out string? perm) || !TryParseLevel(perm, out AccessLevel permission))
        {
            return TicketValidation.Fail(TicketFailure.BadClaims);
        }
        bool singleUse = jwt.TryGetPayloadValue(SingleUseClaim, out bool once) && once;
        string? id = string.IsNullOrEmpty(jwt.Id) ? null : jwt.Id;
        if (singleUse && id is null)
        {
            return TicketValidation.Fail(TicketFailure.BadClaims); // single use is tracked by jti
        }
        long incarnation = jwt.TryGetPayloadValue(IncarnationClaim, out long inc) ? inc : 0;
        ClipboardDirections clipboard = ClipboardDirections.Both;
        if (jwt.TryGetPayloadValue(ClipboardClaim, out string? clip) && !ClipboardText.TryParseDirections(clip, out clipboard))
        {
            return TicketValidation.Fail(TicketFailure.BadClaims); // a claim that cannot be read narrows nothing safely
        }
        return new TicketValidation(new Ticket(consoleId, permission, id, singleUse, expires, incarnation, clipboard), TicketFailure.None);
    }

    public static string Format(AccessLevel permission) => permission == AccessLevel.Control ? "control" : "view";

    public static bool TryParseLevel(string? text, out AccessLevel permission)
    {
        switch (text)
        {
            case "view":
                permission = AccessLevel.View;
                return true;
            case "control":
                permission = AccessLevel.Control;
                return true;
            default:
                permission = default;
                return false;
        }
    }
}
