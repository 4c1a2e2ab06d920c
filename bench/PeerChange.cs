namespace WebConsole.Bench;

/// <summary>What a latency sample of the peers benchmark paints before its XSync.</summary>
internal enum PeerChange
{
    /// <summary>A 32x32 square of the sample's colour on black.</summary>
    Square,

    /// <summary>The whole screen in the sample's colour.</summary>
    Solid,

    /// <summary>A full-screen random picture, then a 64x64 probe block of the sample's colour.</summary>
    Noise,
}
