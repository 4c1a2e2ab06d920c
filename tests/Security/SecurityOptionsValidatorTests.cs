using WebConsole.Security;

namespace WebConsole.Tests.Security;

public sealed class SecurityOptionsValidatorTests
{
    private static string Validate(SecurityOptions options)
    {
        var result = new SecurityOptionsValidator().Validate(null, options);
        return result.Failed ? result.FailureMessage : "";
    }

    [Fact]
    public void Validator_AcceptsASoundConfiguration()
    {
        var options = new SecurityOptions { TicketSigningKey = SecurityKeys.SigningKey };
        options.ApiKeys.Add(SecurityKeys.ApiKey);
        options.AllowedOrigins.Add("https://dash.example.com");
        options.FrameAncestors.Add("http://localhost:8080/");
        Assert.Equal("", Validate(options));
    }

    [Theory]
    [InlineData("short-secret", "at least 32")]
    [InlineData("base64:c2hvcnQ=", "at least 32")]
    [InlineData("base64:not base64!", "not valid base64")]
    public void Validator_RefusesAWeakSigningKey_NamingTheKey(string key, string problem)
    {
        string message = Validate(new SecurityOptions { TicketSigningKey = key });
        Assert.Contains("Security:TicketSigningKey", message, StringComparison.Ordinal);
        Assert.Contains(problem, message, StringComparison.Ordinal);
    }

    [Fact]
    public void SigningKey_TakesRawTextAsUtf8_AndBase64AfterItsPrefix()
    {
        Assert.True(SigningKey.TryParse(SecurityKeys.SigningKey, out byte[]? raw, out _));
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(SecurityKeys.SigningKey), raw);
        byte[] random = new byte[32];
        Random.Shared.NextBytes(random);
        Assert.True(SigningKey.TryParse("base64:" + Convert.ToBase64String(random), out byte[]? decoded, out _));
        Assert.Equal(random, decoded);
    }

    [Fact]
    public void Validator_RefusesShortApiKeys()
    {
        var options = new SecurityOptions();
        options.ApiKeys.Add("too-short");
        Assert.Contains("Security:ApiKeys:0", Validate(options), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("https://*.example.com")]
    [InlineData("https://dash.example.com/path")]
    [InlineData("https://dash.example.com?x=1")]
    [InlineData("dash.example.com")]
    [InlineData("ftp://dash.example.com")]
    [InlineData("null")]
    [InlineData("https://a.example.com; script-src *")]
    public void Validator_RefusesAnythingButAnAbsoluteOrigin(string origin)
    {
        var options = new SecurityOptions();
        options.AllowedOrigins.Add(origin);
        options.FrameAncestors.Add(origin);
        string message = Validate(options);
        Assert.Contains("Security:AllowedOrigins:0", message, StringComparison.Ordinal);
        Assert.Contains("Security:FrameAncestors:0", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_RefusesATicketLifetimeBeyondTheMaximum()
    {
        string message = Validate(new SecurityOptions { TicketLifetimeSeconds = 600, MaxTicketLifetimeSeconds = 300 });
        Assert.Contains("Security:TicketLifetimeSeconds", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Origins_AreComparedNormalised()
    {
        Assert.True(OriginPolicy.TryNormalize("HTTPS://Dash.Example.com:443/", out string? origin, out _));
        Assert.Equal("https://dash.example.com", origin);
        Assert.True(OriginPolicy.TryNormalize("http://127.0.0.1:5000", out origin, out _));
        Assert.Equal("http://127.0.0.1:5000", origin);
    }
}
