using System.Net.Sockets;

namespace WebConsole.Tests.Streaming;

/// <summary>
/// An X server that accepts connections, reads what it is sent and never answers: the stuck
/// producer of issue 19 (a listening socket at <c>/tmp/.X11-unix/X&lt;n&gt;</c>).
/// </summary>
internal sealed class SilentXServer : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly List<Socket> _accepted = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly string _path;
    private int _connections;

    public SilentXServer()
    {
        Directory.CreateDirectory("/tmp/.X11-unix");
        for (int attempt = 0; ; attempt++)
        {
            Display = 700 + Random.Shared.Next(250);
            _path = $"/tmp/.X11-unix/X{Display}";
            if (!File.Exists(_path))
            {
                break;
            }
        }
        _listener.Bind(new UnixDomainSocketEndPoint(_path));
        _listener.Listen();
        _ = AcceptAsync();
    }

    public int Display { get; }

    /// <summary>Connections accepted so far (each one a retry of the source's).</summary>
    public int Connections => Volatile.Read(ref _connections);

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket client = await _listener.AcceptAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                lock (_accepted)
                {
                    _accepted.Add(client);
                }
                _ = DrainAsync(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task DrainAsync(Socket client)
    {
        var buffer = new byte[4096];
        try
        {
            while (await client.ReceiveAsync(buffer, _stop.Token) > 0)
            {
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        lock (_accepted)
        {
            _accepted.ForEach(s => s.Dispose());
        }
        File.Delete(_path);
    }
}
