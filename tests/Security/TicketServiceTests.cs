using Microsoft.Extensions.Options;
using WebConsole.Security;
using WebConsole.Tests.Demo;

namespace WebConsole.Tests.Security;

public sealed class TicketServiceTests
{
    private static readonly DateTimeOffset s_start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _time = new(s_start);

    private TicketService Service(string key = SecurityKeys.SigningKey)
    {
        Assert.True(SigningKey.TryParse(key, out byte[]? bytes, out _));
        return new TicketService(new SigningKey(bytes, generated: false), Options.Create(new SecurityOptions()), _time);
    }

    [Fact]
    public async Task MintedTicket_ValidatesWithItsConsolePermissionAndExpiry()
    {
        TicketService tickets = Service();
        var (token, expires) = tickets.Mint("vm1", AccessLevel.Control, TimeSpan.FromSeconds(60), singleUse: true);
        TicketValidation result = await tickets.ValidateAsync(token);
        Assert.True(result.IsValid, result.Failure.ToString());
        Assert.Equal(("vm1", AccessLevel.Control, true), (result.Ticket!.ConsoleId, result.Ticket.Permission, result.Ticket.SingleUse));
        Assert.Equal(s_start.AddSeconds(60), expires);
        Assert.NotNull(result.Ticket.Id);
    }

    [Fact]
    public async Task Ticket_IsRefusedAsExpired_OnceItsTimeHasPassed()
    {
        TicketService tickets = Service();
        var (token, _) = tickets.Mint("vm1", AccessLevel.View, TimeSpan.FromSeconds(60), singleUse: false);
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.True((await tickets.ValidateAsync(token)).IsValid);
        _time.Advance(TimeSpan.FromSeconds(1) + TicketService.ClockSkew);
        Assert.Equal(TicketFailure.Expired, (await tickets.ValidateAsync(token)).Failure);
    }

    [Fact]
    public async Task Ticket_IsRefusedBeforeItsNotBefore()
    {
        string token = SecurityKeys.Mint("vm1", "view", s_start.AddMinutes(2), notBefore: s_start.AddMinutes(1));
        Assert.Equal(TicketFailure.NotYetValid, (await Service().ValidateAsync(token)).Failure);
    }

    [Fact]
    public async Task TamperedTicket_IsRefused()
    {
        TicketService tickets = Service();
        var (token, _) = tickets.Mint("vm1", AccessLevel.View, TimeSpan.FromSeconds(60), singleUse: false);
        Assert.Equal(TicketFailure.BadSignature, (await tickets.ValidateAsync(SecurityKeys.Tamper(token))).Failure);
    }

    [Fact]
    public async Task TicketSignedWithAnotherKey_IsRefused()
    {
        var (token, _) = Service("another secret that is also long enough!!").Mint("vm1", AccessLevel.Control, TimeSpan.FromSeconds(60), false);
        Assert.Equal(TicketFailure.BadSignature, (await Service().ValidateAsync(token)).Failure);
    }

    [Fact]
    public async Task UnsignedTicket_IsRefused()
    {
        string header = Base64Url("""{"alg":"none","typ":"JWT"}""");
        long exp = s_start.AddMinutes(1).ToUnixTimeSeconds();
        string payload = Base64Url($$"""{"sub":"vm1","perm":"control","exp":{{exp}}}""");
        TicketValidation result = await Service().ValidateAsync($"{header}.{payload}.");
        Assert.False(result.IsValid);
    }

    [Fact]
    public async Task DashboardMintedTicket_Validates_AndBadClaimsAreRefused()
    {
        TicketService tickets = Service();
        Assert.True((await tickets.ValidateAsync(SecurityKeys.Mint("vm1", "control", s_start.AddSeconds(30)))).IsValid);
        Assert.Equal(TicketFailure.BadClaims, (await tickets.ValidateAsync(SecurityKeys.Mint("vm1", "admin", s_start.AddSeconds(30)))).Failure);
        Assert.Equal(TicketFailure.BadClaims, (await tickets.ValidateAsync(SecurityKeys.Mint(null, "view", s_start.AddSeconds(30)))).Failure);
        Assert.Equal(TicketFailure.TooLong, (await tickets.ValidateAsync(SecurityKeys.Mint("vm1", "view", s_start.AddDays(2), notBefore: s_start))).Failure);
        Assert.Equal(TicketFailure.Malformed, (await tickets.ValidateAsync("not-a-jwt")).Failure);
        Assert.Equal(TicketFailure.Missing, (await tickets.ValidateAsync(null)).Failure);
    }

    [Fact]
    public async Task SingleUseTicket_IsConsumedOnce_AndForgottenWhenExpired()
    {
        TicketService tickets = Service();
        var used = new SingleUseTickets(_time);
        var (token, _) = tickets.Mint("vm1", AccessLevel.View, TimeSpan.FromSeconds(60), singleUse: true);
        Ticket ticket = (await tickets.ValidateAsync(token)).Ticket!;
        Assert.False(used.IsUsed(ticket));
        Assert.True(used.TryConsume(ticket, out _));
        Assert.True(used.IsUsed(ticket));
        Assert.False(used.TryConsume(ticket, out TicketFailure failure));
        Assert.Equal(TicketFailure.Reused, failure);

        _time.Advance(TimeSpan.FromSeconds(120));
        used.Purge();
        Assert.Equal(0, used.Count);
    }

    [Fact]
    public void TokenBucket_AllowsTheBurst_ThenTheRate()
    {
        var bucket = new TokenBucket(rate: 10, burst: 20, _time);
        Assert.True(bucket.TryTake(20));
        Assert.False(bucket.TryTake(1));
        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.True(bucket.TryTake(5));
        Assert.False(bucket.TryTake(1));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(bucket.TryTake(20)); // refilled to the burst, no further
        Assert.False(bucket.TryTake(1));
    }

    [Fact]
    public void Redactor_BlanksTicketsInQueriesAndBearerHeaders()
    {
        string line = "Request starting HTTP/1.1 GET http://h/hubs/console?id=x&access_token=eyJabc.def.ghi - - Authorization: Bearer eyJxyz.abc.def";
        string redacted = TicketRedactor.Redact(line);
        Assert.DoesNotContain("eyJ", redacted, StringComparison.Ordinal);
        Assert.Contains("access_token=[redacted]", redacted, StringComparison.Ordinal);
        Assert.Contains("?id=[redacted]&", redacted, StringComparison.Ordinal); // every value of a hub request
    }

    [Fact]
    public void Redactor_BlanksEveryQueryValue_OfHubAndTicketPaths_Only()
    {
        Assert.Equal("GET http://h/hubs/console?id=[redacted]&token=[redacted] - 200",
            TicketRedactor.Redact("GET http://h/hubs/console?id=x&token=abc - 200"));
        Assert.Equal("POST /api/consoles/a/tickets?key=[redacted]", TicketRedactor.Redact("POST /api/consoles/a/tickets?key=k1"));
        Assert.Equal("GET /index.html?q=1", TicketRedactor.Redact("GET /index.html?q=1"));
        Assert.Equal("?a=[redacted]&b=[redacted]", TicketRedactor.RedactQuery("?a=1&b=2"));
    }

    private static string Base64Url(string json) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [Fact]
    public async Task ClipboardClaim_NarrowsOrIsAbsent_AndAnUnreadableOneIsRefused()
    {
        TicketService tickets = Service();
        var (narrowed, _) = tickets.Mint("vm1", AccessLevel.Control, TimeSpan.FromSeconds(60), singleUse: false, clipboard: WebConsole.Sources.Clipboard.ClipboardDirections.FromGuest);
        Assert.Equal(WebConsole.Sources.Clipboard.ClipboardDirections.FromGuest, (await tickets.ValidateAsync(narrowed)).Ticket!.Clipboard);
        var (plain, _) = tickets.Mint("vm1", AccessLevel.Control, TimeSpan.FromSeconds(60), singleUse: false);
        Assert.Equal(WebConsole.Sources.Clipboard.ClipboardDirections.Both, (await tickets.ValidateAsync(plain)).Ticket!.Clipboard);

        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        string bad = handler.CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["sub"] = "vm1", ["perm"] = "control", ["clipboard"] = "everything" },
            Expires = s_start.AddSeconds(30).UtcDateTime,
            NotBefore = s_start.UtcDateTime,
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(
                new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(SecurityKeys.SigningKey)),
                Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
        });
        Assert.Equal(TicketFailure.BadClaims, (await tickets.ValidateAsync(bad)).Failure);
    }
}
