namespace WebConsole.Region;

/// <summary>Pixel formats a region may use, named by their DRM fourcc code.</summary>
public enum PixelFormat : uint
{
    /// <summary>Bytes B,G,R,X: the native format, copied as is.</summary>
    Xrgb8888 = 0x34325258, // 'XR24'
    /// <summary>Bytes B,G,R,A; alpha is ignored.</summary>
    Argb8888 = 0x34325241, // 'AR24'
    /// <summary>Bytes R,G,B,X.</summary>
    Xbgr8888 = 0x34324258, // 'XB24'
    /// <summary>Bytes R,G,B,A; alpha is ignored.</summary>
    Abgr8888 = 0x34324241, // 'AB24'
    /// <summary>Little-endian u16: red 5 bits (high), green 6, blue 5 (low).</summary>
    Rgb565 = 0x36314752, // 'RG16'
}
