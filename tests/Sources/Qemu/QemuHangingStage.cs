namespace WebConsole.Tests.Sources.Qemu;

/// <summary>Where a <see cref="QemuHangingPeer"/> stops answering.</summary>
public enum QemuHangingStage
{
    /// <summary>Accepts the QMP connection and never sends the greeting.</summary>
    QmpSilent,

    /// <summary>Sends a QMP greeting line that never ends.</summary>
    QmpEndlessLine,

    /// <summary>Accepts the bus connection and never answers AUTH.</summary>
    BusSilent,

    /// <summary>Answers AUTH with a line that never ends.</summary>
    BusEndlessAuthLine,

    /// <summary>Authenticates, answers Hello and the Mouse property, and never answers RegisterListener.</summary>
    BusNoRegisterReply,

    /// <summary>Answers RegisterListener, then never authenticates the listener socket it was given.</summary>
    BusListenerSilent,
}
