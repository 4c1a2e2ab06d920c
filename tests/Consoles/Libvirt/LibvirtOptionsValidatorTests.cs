using WebConsole.Consoles.Libvirt;

namespace WebConsole.Tests.Consoles.Libvirt;

public sealed class LibvirtOptionsValidatorTests
{
    private static readonly LibvirtOptionsValidator s_validator = new();

    [Theory]
    [InlineData("qemu:///system")]
    [InlineData("qemu:///session")]
    [InlineData("qemu+ssh://root@host/system")]
    [InlineData("test:///default")]
    [InlineData("")]
    public void Validator_AcceptsLibvirtUris(string uri)
    {
        Assert.True(s_validator.Validate(null, new LibvirtOptions { Uri = uri }).Succeeded);
    }

    [Theory]
    [InlineData("qemu")]
    [InlineData("/var/run/libvirt/libvirt-sock")]
    [InlineData("qemu:///system extra")]
    [InlineData("://system")]
    [InlineData("1emu:///system")]
    [InlineData("qe mu:///system")]
    [InlineData("qemu:///sys\ntem")]
    public void Validator_RefusesWhatIsNoUri_NamingTheKey(string uri)
    {
        var result = s_validator.Validate(null, new LibvirtOptions { Uri = uri });
        Assert.True(result.Failed);
        Assert.StartsWith("Libvirt:Uri: ", Assert.Single(result.Failures!));
    }

    [Theory]
    [InlineData("name", true)]
    [InlineData("UUID", true)]
    [InlineData("id", false)]
    [InlineData("", false)]
    public void Validator_IdFromIsNameOrUuid(string idFrom, bool valid)
    {
        var result = s_validator.Validate(null, new LibvirtOptions { Uri = "qemu:///system", IdFrom = idFrom });
        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.StartsWith("Libvirt:IdFrom: ", Assert.Single(result.Failures!));
        }
    }

    [Fact]
    public void Validator_NamesTheBadPatternByIndex()
    {
        var options = new LibvirtOptions { Uri = "qemu:///system" };
        options.Domains.Add("web-*");
        options.Domains.Add("");
        options.Domains.Add(new string('x', LibvirtOptionsValidator.MaxLength + 1));
        var result = s_validator.Validate(null, options);
        Assert.Equal(["Libvirt:Domains:1: ", "Libvirt:Domains:2: "], result.Failures!.Select(f => f[..19]));
    }

    [Fact]
    public async Task Server_WithABadLibvirtSection_DoesNotStart_AndSaysWhichKey()
    {
        await using var server = new Hubs.ServerFactory(new() { ["Libvirt:Uri"] = "qemu:///system", ["Libvirt:IdFrom"] = "mac" });
        var refused = Assert.ThrowsAny<Exception>(() => server.CreateClient());
        Assert.Contains("Libvirt:IdFrom", refused.ToString(), StringComparison.Ordinal);
    }
}
