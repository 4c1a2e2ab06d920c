using WebConsole.Region;

namespace WebConsole.Encoding;

/// <summary>The JPEG quality a part of an update gets (a console lowers it where the screen keeps changing). Called from encoder threads.</summary>
public interface IJpegQuality
{
    /// <summary>1 to 100 for the part <paramref name="rect"/>.</summary>
    int For(PixelRect rect);
}
