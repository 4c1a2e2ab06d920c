using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using WebConsole.Hubs;

namespace WebConsole.Streaming;

/// <summary>
/// A console's viewers and the fan-out to them: one serialized message, many writers.
/// </summary>
internal sealed class ViewerSet(IHubContext<ConsoleHub> hub)
{
    private readonly ConcurrentDictionary<string, Viewer> _viewers = new(StringComparer.Ordinal);
    private readonly List<string> _connectionIds = new(8);

    public int Count => _viewers.Count;

    public bool IsEmpty => _viewers.IsEmpty;

    public ICollection<Viewer> All => _viewers.Values;

    public void Add(Viewer viewer) => _viewers[viewer.ConnectionId] = viewer;

    public bool TryRemove(string connectionId) => _viewers.TryRemove(connectionId, out _);

    public bool TryGet(string connectionId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Viewer? viewer) =>
        _viewers.TryGetValue(connectionId, out viewer);

    /// <summary>Sends one message to one viewer, without waiting for the write.</summary>
    public void SendTo(string connectionId, string method, object message) =>
        _ = hub.Clients.Client(connectionId).SendAsync(method, message);

    /// <summary>Sends one message, serialized once, to <paramref name="connectionIds"/>, without waiting for the writes.</summary>
    public void SendToMany(IReadOnlyList<string> connectionIds, string method, object message)
    {
        if (connectionIds.Count > 0)
        {
            _ = hub.Clients.Clients(connectionIds).SendAsync(method, message);
        }
    }

    /// <summary>Sends one message to every viewer, without waiting for the writes.</summary>
    public void SendToAll(string method, object message)
    {
        foreach (Viewer viewer in _viewers.Values)
        {
            _ = hub.Clients.Client(viewer.ConnectionId).SendAsync(method, message);
        }
    }

    /// <summary>
    /// Sends an update to <paramref name="viewers"/> at once. One send for all: SignalR serializes the
    /// message once (a SerializedHubMessage per protocol) and writes the same bytes to every
    /// connection, instead of once per viewer. The list is read before SendAsync returns.
    /// </summary>
    public Task SendUpdate(List<Viewer> viewers, UpdateMessage message)
    {
        _connectionIds.Clear();
        foreach (Viewer viewer in viewers)
        {
            _connectionIds.Add(viewer.ConnectionId);
        }
        IClientProxy clients = viewers.Count == 1 ? hub.Clients.Client(_connectionIds[0]) : hub.Clients.Clients(_connectionIds);
        return clients.SendAsync(ConsoleClientMethods.Update, message);
    }

    /// <summary>Tells <paramref name="viewer"/> the console is gone, then ends its connection.</summary>
    public void TellRemoved(Viewer viewer, StateMessage removed)
    {
        Task told = hub.Clients.Client(viewer.ConnectionId).SendAsync(ConsoleClientMethods.State, removed);
        // The state goes out before the connection ends, so the page shows why instead of reconnecting.
        told.ContinueWith(static (_, state) => ((Viewer)state!).Disconnect(), viewer,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public bool AnyHasRoom(int maxInFlight)
    {
        foreach (Viewer viewer in _viewers.Values)
        {
            if (viewer.InFlight < maxInFlight)
            {
                return true;
            }
        }
        return false;
    }

    public bool AnyPending()
    {
        foreach (Viewer viewer in _viewers.Values)
        {
            if (!viewer.Pending.IsEmpty || viewer.NeedsResize)
            {
                return true;
            }
        }
        return false;
    }

    public bool AnyLossy()
    {
        foreach (Viewer viewer in _viewers.Values)
        {
            if (!viewer.Lossy.IsEmpty)
            {
                return true;
            }
        }
        return false;
    }
}
