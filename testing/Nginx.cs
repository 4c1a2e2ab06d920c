using System.Diagnostics;
using System.Text;

namespace WebConsole.Testing;

/// <summary>
/// Debian's nginx, started for a test in a folder of its own (no system configuration, no
/// daemon): <c>nginx -p DIR -c nginx.conf</c> in the foreground, with the given <c>http</c> block
/// content, and stopped on dispose.
/// </summary>
internal sealed class Nginx : IDisposable
{
    private readonly Process _process;
    private readonly string _dir;

    private Nginx(Process process, string dir)
    {
        _process = process;
        _dir = dir;
    }

    /// <summary>The error log so far, for failure messages.</summary>
    public string ErrorLog => File.Exists(Path.Combine(_dir, "error.log")) ? File.ReadAllText(Path.Combine(_dir, "error.log")) : "";

    /// <summary>Starts nginx with <paramref name="http"/> inside its http block; waits until <paramref name="port"/> accepts.</summary>
    public static Nginx Start(string http, int port)
    {
        const string Binary = "/usr/sbin/nginx";
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException($"{Binary} is missing: apt-get install nginx-light (./test.sh does)");
        }
        string dir = Directory.CreateTempSubdirectory("webconsole-nginx-").FullName;
        var conf = new StringBuilder()
            .AppendLine("daemon off;")
            .AppendLine("master_process off;")
            .AppendLine($"pid {dir}/nginx.pid;")
            .AppendLine($"error_log {dir}/error.log info;")
            .AppendLine("events { worker_connections 256; }")
            .AppendLine("http {")
            .AppendLine($"  access_log {dir}/access.log;")
            .AppendLine($"  client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy;")
            .AppendLine($"  fastcgi_temp_path {dir}/fastcgi; uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;")
            .AppendLine(http)
            .AppendLine("}");
        File.WriteAllText(Path.Combine(dir, "nginx.conf"), conf.ToString());
        var info = new ProcessStartInfo(Binary) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in new[] { "-p", dir, "-c", Path.Combine(dir, "nginx.conf") })
        {
            info.ArgumentList.Add(a);
        }
        Process process = Process.Start(info)!;
        var nginx = new Nginx(process, dir);
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                string error = process.StandardError.ReadToEnd() + nginx.ErrorLog;
                nginx.Dispose();
                throw new InvalidOperationException($"nginx exited: {error}");
            }
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                client.Connect(System.Net.IPAddress.Loopback, port);
                return nginx;
            }
            catch (System.Net.Sockets.SocketException) when (watch.Elapsed < TimeSpan.FromSeconds(10))
            {
                Thread.Sleep(50);
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
