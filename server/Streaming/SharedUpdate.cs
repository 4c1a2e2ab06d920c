using WebConsole.Encoding;

namespace WebConsole.Streaming;

/// <summary>An encoded update sent to several viewers; its pooled buffers return when the last send completes.</summary>
internal sealed class SharedUpdate(EncodedUpdate update, int users)
{
    private int _users = users;

    public void Release()
    {
        if (Interlocked.Decrement(ref _users) == 0)
        {
            update.Dispose();
        }
    }
}
