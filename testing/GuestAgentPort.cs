using System.Net.Sockets;
using System.Text;

namespace WebConsole.Testing;

/// <summary>
/// The host end of the test guest's wc.test port (testing/qemu/vdagent/wc-vdagent.c): tells the
/// guest's clipboard agent what to copy, and collects what the guest's clipboard received. Frames
/// both ways: a type byte, a 32-bit little-endian length, the payload.
/// </summary>
internal sealed class GuestAgentPort : IDisposable
{
    private readonly Socket _socket;
    private readonly Thread _reader;
    private readonly List<string> _received = [];
    private readonly List<string> _errors = [];
    private int _connects, _requests;
    private long _lastConnect;

    private GuestAgentPort(Socket socket)
    {
        _socket = socket;
        _reader = new Thread(Read) { IsBackground = true, Name = "wc.test port" };
        _reader.Start();
    }

    /// <summary>Connects to <paramref name="path"/> (QEMU listens there once it has started).</summary>
    public static GuestAgentPort Connect(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(path));
        return new GuestAgentPort(socket);
    }

    /// <summary>How many times the agent said QEMU's agent channel came up (after every serial reset).</summary>
    public int Connects => Volatile.Read(ref _connects);

    /// <summary>How many times QEMU asked the agent for the text the guest copied.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public string[] Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public string[] Errors
    {
        get
        {
            lock (_received)
            {
                return [.. _errors];
            }
        }
    }

    /// <summary>The guest copies <paramref name="text"/>: its agent grabs the clipboard with it.</summary>
    public void Copy(string text)
    {
        byte[] payload = System.Text.Encoding.UTF8.GetBytes(text);
        var frame = new byte[5 + payload.Length];
        frame[0] = (byte)'G';
        BitConverter.TryWriteBytes(frame.AsSpan(1), payload.Length);
        payload.CopyTo(frame, 5);
        _socket.Send(frame);
    }

    /// <summary>
    /// Waits until the agent is connected to QEMU and has stayed so for a moment: QEMU closes and
    /// reopens the agent's port when a D-Bus client registers (to reset serials), and a copy made
    /// in between would reach the agent while it is reconnecting.
    /// </summary>
    public async Task WaitForAgentSettledAsync(TimeSpan timeout)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Connects == 0 || System.Diagnostics.Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastConnect)) < TimeSpan.FromMilliseconds(500))
        {
            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException($"the guest's agent never connected to QEMU within {timeout}; agent errors: {string.Join("; ", Errors)}");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>Waits until the guest's clipboard has received <paramref name="count"/> texts; returns the last.</summary>
    public async Task<string> WaitForReceivedAsync(int count, TimeSpan timeout)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            lock (_received)
            {
                if (_received.Count >= count)
                {
                    return _received[count - 1];
                }
            }
            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException($"the guest's clipboard received {Received.Length} texts, not {count}, within {timeout}; agent errors: {string.Join("; ", Errors)}");
            }
            await Task.Delay(10);
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        _reader.Join(TimeSpan.FromSeconds(5));
    }

    private void Read()
    {
        var header = new byte[5];
        try
        {
            while (true)
            {
                if (!ReadExactly(header))
                {
                    return;
                }
                int length = BitConverter.ToInt32(header, 1);
                var payload = new byte[length];
                if (!ReadExactly(payload))
                {
                    return;
                }
                switch ((char)header[0])
                {
                    case 'C':
                        Interlocked.Increment(ref _connects);
                        Interlocked.Exchange(ref _lastConnect, System.Diagnostics.Stopwatch.GetTimestamp());
                        break;
                    case 'Q':
                        Interlocked.Increment(ref _requests);
                        break;
                    case 'R':
                        lock (_received)
                        {
                            _received.Add(System.Text.Encoding.UTF8.GetString(payload));
                        }
                        break;
                    case 'E':
                        lock (_received)
                        {
                            _errors.Add(System.Text.Encoding.UTF8.GetString(payload));
                        }
                        break;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Closed by Dispose or by QEMU.
        }
    }

    private bool ReadExactly(byte[] buffer)
    {
        int have = 0;
        while (have < buffer.Length)
        {
            int n = _socket.Receive(buffer, have, buffer.Length - have, SocketFlags.None);
            if (n == 0)
            {
                return false;
            }
            have += n;
        }
        return true;
    }
}
