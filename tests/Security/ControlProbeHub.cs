using Microsoft.AspNetCore.SignalR;
using WebConsole.Security;

namespace WebConsole.Tests.Security;

/// <summary>
/// A hub of the test server only, standing in for the console hub's input methods: its
/// <c>Press</c> is marked <see cref="RequiresControlAttribute"/> and counts the events that reach it.
/// </summary>
internal sealed class ControlProbeHub(ProbeInputs inputs) : Hub
{
    [RequiresControl]
    public void Press(int[] keys) => inputs.Add(keys.Length);

    public int Received() => inputs.Count;
}

/// <summary>How many input events reached <see cref="ControlProbeHub"/>.</summary>
internal sealed class ProbeInputs
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Add(int events) => Interlocked.Add(ref _count, events);
}
