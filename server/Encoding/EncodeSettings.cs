namespace WebConsole.Encoding;

/// <summary>How one update is encoded.</summary>
/// <param name="Quality">JPEG quality per part; null: the encoder's configured quality.</param>
/// <param name="Lossless">Parts that would be JPEG go out as PNG (a refresh of what was sent lossy).</param>
public readonly record struct EncodeSettings(IJpegQuality? Quality = null, bool Lossless = false);
