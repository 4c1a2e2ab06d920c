using System.Threading.Channels;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using WebConsole.Hubs;

namespace WebConsole.Bench;

/// <summary>
/// A viewer without a browser: the .NET SignalR client on the same WebSocket + MessagePack
/// protocol as the page, acknowledging each update as soon as it arrives (no decoding, no
/// drawing). What it measures is the server and the transport alone.
/// </summary>
internal sealed class HubViewer : IAsyncDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    private readonly HubConnection _connection;
    private readonly Channel<(double At, long Bytes)> _updates = Channel.CreateUnbounded<(double At, long Bytes)>();

    private HubViewer(HubConnection connection)
    {
        _connection = connection;
        connection.On<UpdateMessage>(ConsoleClientMethods.Update, update =>
        {
            double at = Clock.NowMs();
            long bytes = 0;
            foreach (RectMessage rect in update.Rects)
            {
                bytes += rect.Data.Count;
            }
            _updates.Writer.TryWrite((at, bytes));
            _ = connection.SendAsync("Ack", update.FrameId);
        });
    }

    public static async Task<HubViewer> JoinAsync(Uri baseAddress, string consoleId)
    {
        HubConnection connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, "hubs/console"), HttpTransportType.WebSockets)
            .AddMessagePackProtocol()
            .Build();
        var viewer = new HubViewer(connection);
        try
        {
            await connection.StartAsync().WaitAsync(s_timeout);
            await connection.InvokeAsync<JoinResult>("Join", consoleId).WaitAsync(s_timeout);
            return viewer;
        }
        catch
        {
            await viewer.DisposeAsync();
            throw;
        }
    }

    /// <summary>Forgets updates received so far; how many there were.</summary>
    public int Drain()
    {
        int count = 0;
        while (_updates.Reader.TryRead(out _))
        {
            count++;
        }
        return count;
    }

    /// <summary>The wall clock (Unix ms) at which the next update arrived, and its payload bytes.</summary>
    public async Task<(double At, long Bytes)> NextAsync()
    {
        try
        {
            return await _updates.Reader.ReadAsync().AsTask().WaitAsync(s_timeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"no update reached the .NET viewer within {s_timeout.TotalSeconds} s (connection {_connection.State})", e);
        }
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();
}
