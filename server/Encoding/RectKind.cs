namespace WebConsole.Encoding;

/// <summary>How one rectangle of an update is encoded; the value is what goes on the wire.</summary>
public enum RectKind : byte
{
    /// <summary>Every pixel has the same colour; the payload is 3 bytes R, G, B.</summary>
    Solid = 0,

    /// <summary>A PNG (lossless): text, UI chrome, flat areas, few colours.</summary>
    Png = 1,

    /// <summary>A baseline JPEG, 4:2:0: photos, gradients, video, noise.</summary>
    Jpeg = 2,
}
