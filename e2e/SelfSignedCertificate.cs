using System.Diagnostics;

namespace WebConsole.E2E;

/// <summary>A self-signed P-256 certificate and key in PEM files, made by openssl for one host name.</summary>
internal sealed class SelfSignedCertificate : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("webconsole-tls-").FullName;

    public SelfSignedCertificate(string host)
    {
        Host = host;
        var info = new ProcessStartInfo("openssl") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[]
        {
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", KeyPath, "-out", CertificatePath, "-days", "2", "-subj", $"/CN={host}", "-addext", $"subjectAltName=DNS:{host}",
        })
        {
            info.ArgumentList.Add(a);
        }
        using Process p = Process.Start(info)!;
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl failed: {error}");
        }
    }

    public string Host { get; }

    public string CertificatePath => Path.Combine(_dir, "cert.pem");

    public string KeyPath => Path.Combine(_dir, "key.pem");

    /// <summary>Kestrel's configuration for an https endpoint with this certificate, and an http one.</summary>
    public string[] KestrelEndpoints(int http, int https) =>
    [
        "--Kestrel:Endpoints:Http:Url", $"http://127.0.0.1:{http}",
        "--Kestrel:Endpoints:Https:Url", $"https://127.0.0.1:{https}",
        "--Kestrel:Endpoints:Https:Certificate:Path", CertificatePath,
        "--Kestrel:Endpoints:Https:Certificate:KeyPath", KeyPath,
    ];

    /// <summary>An HttpClient handler that accepts this certificate only (no redirects followed).</summary>
    public HttpClientHandler Handler() => new()
    {
        AllowAutoRedirect = false,
        ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Subject == $"CN={Host}",
    };

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
