namespace WebConsole.Sources.Xwd;

/// <summary>
/// Where an <see cref="XwdSource"/> reads its XWD image from: Xvfb's <c>-fbdir</c> file
/// (<see cref="XwdFileStore"/>) or its <c>-shmem</c> segment (<see cref="XwdShmStore"/>).
/// </summary>
internal interface IXwdStore : IDisposable
{
    /// <summary>What the store reads, as messages name it (a path, or <c>xwd-shm::99.0</c>).</summary>
    string Name { get; }

    /// <summary>
    /// Checks that the producer is still there, reopening it if needed. False while there is nothing
    /// to read, with <paramref name="waitingReason"/> for the status; <paramref name="lost"/> when
    /// what was open until now went away (Xvfb exited or was replaced), so the picture restarts.
    /// Never throws for anything the producer does.
    /// </summary>
    bool Refresh(out bool lost, out string? waitingReason);

    /// <summary>Bytes readable now (meaningful after a successful <see cref="Refresh"/>).</summary>
    long Size { get; }

    /// <summary>Copies dest.Length bytes from <paramref name="offset"/>; false when they are not all there.</summary>
    bool ReadAt(long offset, Span<byte> dest);
}
